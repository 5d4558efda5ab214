using Sluice.Core.Templating;

namespace Sluice.Core.Tests.Templating;

public sealed class TemplateRendererTests
{
    private static string Render(string template, Dictionary<string, object?>? globals = null) =>
        TemplateRenderer.Render(new TemplateSource("models/m.sql", template), globals ?? []);

    [Theory]
    [InlineData("select {{ 1 + 2 }}", "select 3")]
    [InlineData("{{ 7 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 * 3.5 }}", "3.5 3 -4 1 2 7.0")]
    [InlineData("{{ 'a' ~ 1 ~ none }}", "a1None")]
    [InlineData("{{ 'ab' + 'cd' }} {{ [1] + [2] }}", "abcd [1, 2]")]
    [InlineData("{{ 1 < 2 and 'x' }} {{ 0 or 'y' }} {{ not 0 }}", "x y True")]
    [InlineData("{{ 'b' in 'abc' }} {{ 3 not in [1, 2] }} {{ 'k' in {'k': 1} }}", "True True True")]
    [InlineData("{{ 1 == 1.0 }} {{ 'a' != 'b' }} {{ 2 >= 3 }}", "True True False")]
    [InlineData("{{ 'yes' if 1 > 0 else 'no' }} {{ 'yes' if false else 'no' }}", "yes no")]
    [InlineData("{{ ['a', 'b'] }} {{ {'k': 'v', 'n': 1} }} {{ true }} {{ None }}", "['a', 'b'] {'k': 'v', 'n': 1} True None")]
    [InlineData("{{ 'it''s' }}{{ \"q\\\"d\" }} {{ '\\d+' }}", "itsq\"d \\d+")]
    [InlineData("{{ {'a': {'b': 1}}['a']['b'] }}|{% set d = {'x': {'y': [1, 2]}} %}{{ d.x.y[1] }}|{{ {'k': '}}'}['k'] }}", "1|2|}}")]
    [InlineData("{{ [[1], [2, {'z': 3}]][1][1]['z']}}!", "3!")]
    public void Expressions_follow_Jinja(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ 'ABC' | lower }} {{ 'abc' | upper }} {{ '  x ' | trim }}|", "abc ABC x|")]
    [InlineData("{{ ['a', 'b'] | join(', ') }} {{ [1, 2] | join }}", "a, b 12")]
    [InlineData("{{ 'a-b' | replace('-', '_') }} {{ 'abc' | length }} {{ [1, 2] | count }}", "a_b 3 2")]
    [InlineData("{{ missing | default('d') }} {{ '' | default('e', true) }} {{ '' | default('f') }}|{{ x | d(1) }}", "d e |1")]
    [InlineData("{{ 'hello world' | title }} {{ 'ab' | upper | lower }}", "Hello World ab")]
    [InlineData("{{ 'Mixed'.lower() }} {{ ' s '.strip() }} {{ 'a,b'.split(',') }} {{ 'abc'.startswith('a') }} {{ 'x.y'.replace('.', '_') }}", "mixed s ['a', 'b'] True x_y")]
    public void Filters_and_methods(string template, string expected) => Assert.Equal(expected, Render(template));

    [Fact]
    public void If_elif_else_picks_the_first_true_branch()
    {
        const string template = "{% if n > 2 %}big{% elif n > 0 %}small{% else %}none{% endif %}";
        Assert.Equal("big", Render(template, new() { ["n"] = 3L }));
        Assert.Equal("small", Render(template, new() { ["n"] = 1L }));
        Assert.Equal("none", Render(template, new() { ["n"] = 0L }));
    }

    [Fact]
    public void For_loops_expose_loop_and_unpack_pairs()
    {
        var globals = new Dictionary<string, object?>
        {
            ["cols"] = new List<object?> { "a", "b", "c" },
            ["renames"] = new Dictionary<string, object?> { ["x"] = "y", ["p"] = "q" },
        };
        Assert.Equal(
            "a as col_1, b as col_2, c as col_3 | x->y p->q | 3 2 1 |empty",
            Render(
                "{% for c in cols %}{{ c }} as col_{{ loop.index }}{% if not loop.last %}, {% endif %}{% endfor %} | " +
                "{% for k, v in renames.items() %}{{ k }}->{{ v }}{{ ' ' if not loop.last }}{% endfor %} | " +
                "{% for c in cols %}{{ loop.revindex }}{% if loop.first or loop.index0 == 1 %} {% endif %}{% endfor %} |" +
                "{% for c in [] %}x{% else %}empty{% endfor %}",
                globals));
    }

    [Fact]
    public void Set_assigns_values_blocks_and_pairs_and_loop_variables_stay_in_the_loop()
    {
        Assert.Equal(
            "3 x-1 | a b | inner outer",
            Render(
                "{% set n = 1 + 2 %}{% set label %}x-{{ n - 2 }}{% endset %}{{ n }} {{ label }} | " +
                "{% set a, b = 'a', 'b' %}{{ a }} {{ b }} | " +
                "{% set v = 'outer' %}{% for i in [1] %}{% set v = 'inner' %}{{ v }}{% endfor %} {{ v }}"));
    }

    [Fact]
    public void Whitespace_control_trims_newlines_on_the_marked_side()
    {
        const string template = "select\n    {%- for c in ['a', 'b'] %}\n    {{ c }}{{ ',' if not loop.last }}\n    {%- endfor %}\nfrom t\n";
        Assert.Equal("select\n    a,\n    b\nfrom t", Render(template));
        Assert.Equal("a b", Render("a {{- ' ' -}} \n\n b"));
        Assert.Equal("ab", Render("a {#- a comment -#} b"));
        Assert.Equal("a  b", Render("a {# {{ not rendered }} #} b"));
    }

    [Fact]
    public void A_single_trailing_newline_is_dropped_as_Jinja_does()
    {
        Assert.Equal("select 1", Render("select 1\n"));
        Assert.Equal("select 1\n", Render("select 1\n\n"));
    }

    [Fact]
    public void Functions_receive_positional_and_named_arguments()
    {
        TemplateFunction describe = call => $"{call.Name}({string.Join(",", call.Positional)};{string.Join(",", call.Named.Select(n => n.Key + "=" + n.Value))})";
        Assert.Equal("f(a,1;x=True)", Render("{{ f('a', 1, x=true) }}", new() { ["f"] = describe }));
    }

    [Fact]
    public void Host_objects_render_themselves_and_expose_attributes()
    {
        var relation = new Relation("marts", "orders");
        Assert.Equal("\"marts\".\"orders\" marts orders", Render("{{ this }} {{ this.schema }} {{ this['identifier'] }}", new() { ["this"] = relation }));
    }

    [Fact]
    public void Closing_delimiters_inside_strings_do_not_end_the_tag()
    {
        Assert.Equal("a}}b %} c", Render("{{ 'a}}b' }} {{ '%}' }} c"));
    }

    private sealed record Relation(string Schema, string Name) : ITemplateObject
    {
        public object? Attribute(string name) => name switch
        {
            "schema" => Schema,
            "identifier" or "name" => Name,
            _ => TemplateValues.Missing,
        };

        public string Render() => $"\"{Schema}\".\"{Name}\"";
    }
}

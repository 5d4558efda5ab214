using Sluice.Core.Templating;

namespace Sluice.Core.Tests.Templating;

public sealed class TemplateMacroTests
{
    private static string Render(string template, Dictionary<string, object?>? globals = null) =>
        TemplateRenderer.Render(new TemplateSource("models/m.sql", template), globals ?? []);

    private static TemplateException Failure(string template, IMacroResolver? macros = null) =>
        Assert.Throws<TemplateException>(() =>
        {
            var source = new TemplateSource("models/m.sql", template);
            TemplateRenderer.Render(source, TemplateParser.Parse(source), new TemplateEnvironment(new Dictionary<string, object?>(), macros));
        });

    [Theory]
    [InlineData("{% macro cents(x, scale=100) %}{{ x }} / {{ scale }}{% endmacro %}{{ cents('amount') }}|{{ cents('a', 10) }}|{{ cents(scale=1, x='b') }}", "amount / 100|a / 10|b / 1")]
    [InlineData("{% macro m(a) %}{{ a }}:{{ varargs | join(',') }}:{{ kwargs.k }}{% endmacro %}{{ m(1, 2, 3, k='v') }}", "1:2,3:v")]
    [InlineData("{% macro pair() %}{{ return(['a', {'k': 1}]) }}ignored{% endmacro %}{% set p = pair() %}{{ p[0] }}{{ p[1].k }}", "a1")]
    [InlineData("{% macro wrap() %}({{ caller() }}){% endmacro %}{% call wrap() %}inner{% endcall %}", "(inner)")]
    [InlineData("{% macro each(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(item) each([1, 2]) %}<{{ item }}>{% endcall %}", "<1><2>")]
    [InlineData("{% macro outer(x) %}[{{ inner(x) }}]{% endmacro %}{% macro inner(x) %}{{ x * 2 }}{% endmacro %}{{ outer(21) }}", "[42]")]
    [InlineData("{% macro fact(n) %}{% if n <= 1 %}{{ return(1) }}{% endif %}{{ return(n * fact(n - 1)) }}{% endmacro %}{{ fact(5) }}", "120")]
    [InlineData("{% set cols = [] %}{% do cols.append('a') %}{% do cols.extend(['b', 'c']) %}{{ cols | join(', ') }}", "a, b, c")]
    [InlineData("{% set ns = namespace(total=0) %}{% for n in [1, 2, 3] %}{% set ns.total = ns.total + n %}{% endfor %}{{ ns.total }}", "6")]
    [InlineData("{% for x in range(6) if x is odd %}{{ x }}{% endfor %}", "135")]
    [InlineData("{{ [1, 2, 3, 4][1:3] }} {{ 'abcdef'[::-2] }} {{ [1, 2, 3][-2:] }}", "[2, 3] fdb [2, 3]")]
    [InlineData("{% raw %}{{ not rendered }}{% endraw %}", "{{ not rendered }}")]
    [InlineData("{{ '{} is {:.1f}'.format('pi', 3.14159) }} {{ '%s-%d' % ('a', 7) }} {{ 2 ** 10 }}", "pi is 3.1 a-7 1024")]
    [InlineData("{{ [3, 1, 2] | sort | list }} {{ [1, 2, 2] | unique | list }} {{ ['a', 'B'] | map('upper') | join }} {{ [1, 2, 3] | select('even') | list }}", "[1, 2, 3] [1, 2] AB [2]")]
    [InlineData("{{ [{'n': 'x', 'ok': true}, {'n': 'y', 'ok': false}] | selectattr('ok') | map(attribute='n') | list }}", "['x']")]
    [InlineData("{{ 3 is divisibleby 3 }} {{ 'a' is in ['a'] }} {{ 2 is gt(1) }} {{ none is none }}", "True True True True")]
    [InlineData("{% set d = {'a': 1} %}{% do d.update({'b': 2}) %}{{ d | tojson }} {{ d.pop('a') }} {{ d }}", "{\"a\": 1, \"b\": 2} 1 {'b': 2}")]
    [InlineData("{{ '3' | as_number }} {{ '2.5' | as_number }} {{ '[1, 2]' | as_native }} {{ 'True' | as_bool }} {{ '7' | int + 1 }}", "3 2.5 [1, 2] True 8")]
    public void Macros_and_dbt_idioms_render_as_Jinja_does(string template, string expected) => Assert.Equal(expected, Render(template));

    [Fact]
    public void A_macro_sees_the_templates_top_level_names_but_not_its_callers_locals()
    {
        Assert.Equal(
            "top:|inner",
            Render("{% macro show() %}{{ top }}:{{ local | default('') }}{% endmacro %}{% macro outer() %}{% set local = 'x' %}{{ show() }}{% endmacro %}{% set top = 'top' %}{{ outer() }}|{% macro run() %}{{ caller() }}{% endmacro %}{% macro user() %}{% set mine = 'inner' %}{% call run() %}{{ mine }}{% endcall %}{% endmacro %}{{ user() }}"));
    }

    [Fact]
    public void Macro_errors_name_the_macros_file_and_line_and_the_call_that_reached_it()
    {
        var macros = new FixedMacros("macros/money.sql", "{% macro cents(x) %}\n{{ x | slugify }}\n{% endmacro %}");
        var error = Failure("select\n  {{ cents('amount') }}", macros);

        Assert.Equal("macros/money.sql", error.File);
        Assert.Equal(new TextPosition(2, 8), error.Position);
        Assert.Contains("unknown filter 'slugify'", error.Message);
        Assert.Contains("in macro 'shop.cents' called at models/m.sql:2:6", error.Message);
    }

    [Fact]
    public void Arguments_a_macro_does_not_take_are_errors_at_the_call()
    {
        Assert.Contains("macro 'm' has no parameter 'y'; its parameters are x", Failure("{% macro m(x) %}{% endmacro %}{{ m(y=1) }}").Message);
        Assert.Contains("macro 'm' takes 1 argument (x), 2 given", Failure("{% macro m(x) %}{% endmacro %}{{ m(1, 2) }}").Message);
        Assert.Contains("the argument 'x' of macro 'm' (not passed) is undefined", Failure("{% macro m(x) %}{{ x }}{% endmacro %}{{ m() }}").Message);
    }

    [Fact]
    public void Endless_recursion_is_stopped_with_the_chain_of_calls()
    {
        var error = Failure("{% macro loop(n) %}{{ loop(n + 1) }}{% endmacro %}{{ loop(0) }}");
        Assert.Contains("macro calls nest more than 100 deep (loop → loop → loop → … → loop", error.Message);
        Assert.Contains("a macro calls itself without end", error.Message);
    }

    [Fact]
    public void Rendering_the_same_template_twice_gives_the_same_text()
    {
        const string template = "{% macro key(cols) %}md5({% for c in cols %}coalesce(cast({{ c }} as text), ''){{ \" || '-' || \" if not loop.last }}{% endfor %}){% endmacro %}select {{ key(['a', 'b']) }}";
        Assert.Equal(Render(template), Render(template));
        Assert.Equal("select md5(coalesce(cast(a as text), '') || '-' || coalesce(cast(b as text), ''))", Render(template));
    }

    // A project's macro file, resolved as a root project's macros are.
    private sealed class FixedMacros : IMacroResolver
    {
        private readonly Dictionary<string, MacroValue> _macros;

        public FixedMacros(string file, string text)
        {
            var source = new TemplateSource(file, text);
            _macros = MacroDefinition.In(TemplateParser.Parse(source), source, "shop").ToDictionary(m => m.Name, m => new MacroValue(m));
        }

        public object? Resolve(string name, string? package, MacroLookup lookup) =>
            lookup == MacroLookup.BeforeGlobals && _macros.TryGetValue(name, out var macro) ? macro : TemplateValues.Missing;

        public string? MissingNamespace(string name, string member) => null;
    }
}

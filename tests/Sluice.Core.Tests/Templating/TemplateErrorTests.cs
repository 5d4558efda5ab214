using Sluice.Core.Templating;

namespace Sluice.Core.Tests.Templating;

public sealed class TemplateErrorTests
{
    private static TemplateException Failure(string template) =>
        Assert.Throws<TemplateException>(() => TemplateRenderer.Render(new TemplateSource("models/m.sql", template), new Dictionary<string, object?>()));

    [Theory]
    [InlineData("select 1\n{% filter upper %}x{% endfilter %}", 2, 4, "unsupported tag '{% filter %}' — supported tags are if, elif, else, endif, for, endfor, set, endset, macro")]
    [InlineData("select\n  {{ name | slugify }}", 2, 13, "unknown filter 'slugify' — supported filters are")]
    [InlineData("{% if x %}a", 1, 4, "'{% if %}' is not closed: add '{% endif %}'")]
    [InlineData("{% for x in [1] %}a{% endif %}", 1, 23, "'{% endif %}' inside '{% for %}'")]
    [InlineData("a\n {{ 1 +  }}", 2, 10, "an expression is missing")]
    [InlineData("{{ 'abc }}", 1, 1, "'{{' is not closed")]
    [InlineData("{# note", 1, 1, "comment '{#' is not closed")]
    [InlineData("{{ f(1 }}\nselect 1", 1, 8, "expected")]
    [InlineData("{% endfor %}", 1, 4, "'endfor' without a matching opening tag")]
    [InlineData("{{ x is prime }}", 1, 6, "unknown test 'prime'")]
    [InlineData("{{ 1 + 'a' }}", 1, 6, "cannot apply '+' to an integer and a string")]
    [InlineData("{% for x in xs recursive %}{% endfor %}", 1, 16, "recursive loops are not supported")]
    [InlineData("{{ 'a'.encode() }}", 1, 7, "unsupported string method 'encode'")]
    public void Errors_name_line_column_and_construct(string template, int line, int column, string message)
    {
        var error = Failure(template);
        Assert.Equal(new TextPosition(line, column), error.Position);
        Assert.Contains(message, error.Message);
        Assert.StartsWith($"models/m.sql:{line}:{column}: ", error.Message);
    }

    [Fact]
    public void An_undefined_name_is_an_error_where_it_is_used_but_not_where_it_is_tested()
    {
        var error = Failure("select {{ colums }}");
        Assert.Equal(new TextPosition(1, 11), error.Position);
        Assert.Contains("'colums' is undefined", error.Message);
        Assert.Equal("no", TemplateRenderer.Render(new TemplateSource("m.sql", "{% if colums is defined %}yes{% else %}no{% endif %}"), new Dictionary<string, object?>()));
    }

    [Fact]
    public void Calling_an_unknown_function_names_it()
    {
        var error = Failure("{{ adapter.dispatch('x')() }}");
        Assert.Contains("'adapter' is undefined", error.Message);
        Assert.Contains("unknown function or macro 'run_query'", Failure("{{ run_query('select 1') }}").Message);
    }
}

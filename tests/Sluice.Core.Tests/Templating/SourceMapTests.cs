using Sluice.Core.Templating;

namespace Sluice.Core.Tests.Templating;

public sealed class SourceMapTests
{
    // Tags and the loop render fewer lines than they take, so rendered lines are not source lines.
    private const string Template = """
        {{ config(materialized='table') }}
        {% set columns = ['n', 'label'] %}
        select
        {%- for column in columns %}
          {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
        from {{ ref('numbers') }} group by by n
        """;

    private static RenderedText Render(string template) =>
        TemplateRenderer.RenderMapped(
            new TemplateSource("models/m.sql", template),
            TemplateParser.Parse(new TemplateSource("models/m.sql", template)),
            new Dictionary<string, object?> { ["config"] = (TemplateFunction)(_ => ""), ["ref"] = (TemplateFunction)(_ => "\"raw\".\"numbers\"") });

    [Fact]
    public void Copied_text_is_placed_at_its_own_line_and_column_whatever_the_tags_rendered()
    {
        var rendered = Render(Template);

        var offset = rendered.Text.LastIndexOf("by", StringComparison.Ordinal);
        Assert.Equal(6, rendered.Text[..offset].Count(c => c == '\n') + 1);
        Assert.Equal(new SourceLocation("models/m.sql", new TextPosition(7, 36), true), rendered.Map.Locate(offset));
        Assert.Equal(new TextPosition(3, 3), rendered.Map.Locate(rendered.Text.IndexOf("lect", StringComparison.Ordinal))!.Position);
        Assert.Equal(new TextPosition(7, 40), rendered.Map.Locate(rendered.Text.Length)!.Position);
    }

    [Fact]
    public void What_an_expression_rendered_is_placed_at_the_expression()
    {
        var rendered = Render(Template);

        var relation = rendered.Map.Locate(rendered.Text.IndexOf("numbers", StringComparison.Ordinal));
        var column = rendered.Map.Locate(rendered.Text.IndexOf("label", StringComparison.Ordinal));

        Assert.Equal(new SourceLocation("models/m.sql", new TextPosition(7, 6), false), relation);
        Assert.Equal(new SourceLocation("models/m.sql", new TextPosition(5, 3), false), column);
    }

    [Fact]
    public void Text_kept_after_whitespace_control_starts_where_its_first_character_is()
    {
        var rendered = Render("select 1 {%- if true -%}\n\n   , 2 {%- endif %}");

        Assert.Equal("select 1, 2", rendered.Text);
        Assert.Equal(new TextPosition(3, 4), rendered.Map.Locate(rendered.Text.IndexOf(',', StringComparison.Ordinal))!.Position);
    }

    [Fact]
    public void Joined_and_sliced_text_keeps_its_places_and_added_text_has_none()
    {
        var model = Render("select a\nfrom t");
        var joined = new RenderedText.Builder().Append("with x as (").Append(model).Append(")\n").Append(model.Slice(7)).Build();

        Assert.Null(joined.Map.Locate(0));
        Assert.Equal(new TextPosition(2, 1), joined.Map.Locate(joined.Text.IndexOf("from", StringComparison.Ordinal))!.Position);
        Assert.Equal(new TextPosition(1, 8), joined.Map.Locate(joined.Text.LastIndexOf('a'))!.Position);
        Assert.Null(joined.Map.Locate(joined.Text.IndexOf(')', StringComparison.Ordinal)));
    }
}

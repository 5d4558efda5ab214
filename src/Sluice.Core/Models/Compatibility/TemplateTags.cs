using Sluice.Core.Templating;

namespace Sluice.Core.Models.Compatibility;

/// <summary>
/// Finds every tag of a template that Sluice's parser does not know — all of them, where the
/// parser would stop at the first — and blanks them (their closing tags too; a custom
/// materialization's whole block), keeping every other character where it was, so that the rest
/// of the file can still be parsed and read with its own lines and columns.
/// </summary>
internal static class TemplateTags
{
    private static readonly HashSet<string> Inclusion = ["include", "import", "from", "extends", "block"];

    /// <summary>
    /// <paramref name="source"/> with its unknown tags blanked, and the names those tags would
    /// have defined (<c>{% import 'x' as helpers %}</c> defines helpers), which are not reported
    /// again as undefined. Each unknown tag is added to <paramref name="findings"/>.
    /// </summary>
    public static (TemplateSource Source, IReadOnlyList<string> Defined) Blank(TemplateSource source, List<CompatibilityFinding> findings)
    {
        var text = source.Text.ToCharArray();
        var defined = new List<string>();
        var opened = new HashSet<string>(StringComparer.Ordinal);
        (int Start, string Name)? block = null;
        foreach (var segment in Segment.Split(source).Where(s => s.Kind == SegmentKind.Statement))
        {
            var tokens = ExpressionTokens.Read(source, segment.InnerStart, segment.InnerEnd);
            if (tokens[0].Kind != TokenKind.Name || TemplateParser.Tags.Contains(tokens[0].Text))
            {
                continue;
            }

            var name = tokens[0].Text;
            var end = source.Text.IndexOf("%}", segment.InnerEnd, StringComparison.Ordinal) + 2;
            if (block is { } skipping)
            {
                if (name == "end" + skipping.Name)
                {
                    Blank(text, skipping.Start, end);
                    block = null;
                }

                continue;
            }

            if (!(name.StartsWith("end", StringComparison.Ordinal) && opened.Contains(name[3..])))
            {
                findings.Add(Finding(source, tokens[0].Offset, name, tokens));
                opened.Add(name);
            }

            if (name == "materialization")
            {
                // dbt's own machinery inside: its names mean nothing to Sluice, so the body is not read.
                block = (segment.Start, name);
                continue;
            }

            Blank(text, segment.Start, end);
            defined.AddRange(Defines(name, tokens));
        }

        if (block is { } unclosed)
        {
            Blank(text, unclosed.Start, text.Length);
        }

        return (new TemplateSource(source.File, new string(text)), defined);
    }

    private static CompatibilityFinding Finding(TemplateSource source, int offset, string name, List<Token> tokens)
    {
        if (name == "materialization")
        {
            var what = tokens.Count > 1 && tokens[1].Kind == TokenKind.Name ? $"custom materialization '{tokens[1].Text}'" : "custom materialization";
            return CompatibilityFinding.At(source, offset, what, $"Sluice builds only the materializations {string.Join(", ", ModelConfig.ModelMaterializations)}; use one of them for the models that use this one");
        }

        var advice = name switch
        {
            _ when Inclusion.Contains(name) => "Sluice renders each file on its own; move the shared code into a macro in macros/ and call it",
            "filter" => "apply the filter to an expression instead, as {{ value | upper }}",
            "with" => "use {% set %} instead",
            "autoescape" => "Sluice never escapes what it renders; remove the tag",
            "break" or "continue" => "filter the loop instead ({% for x in items if condition %}) or wrap its body in an {% if %}",
            "snapshot" => "snapshot blocks belong in .sql files under snapshot-paths",
            "docs" => "docs blocks belong in .md files",
            _ => $"Sluice's tags are {string.Join(", ", TemplateParser.Tags)}",
        };
        return CompatibilityFinding.At(source, offset, $"tag {{% {name} %}}", advice);
    }

    // The names an unknown tag would have defined: import's alias, from's imported names, with's variables.
    private static IEnumerable<string> Defines(string name, List<Token> tokens) => name switch
    {
        "import" => tokens.Where(t => t.Kind == TokenKind.Name).Select(t => t.Text).TakeLast(1),
        "from" => tokens.SkipWhile(t => !t.Is("import")).Skip(1).Where(t => t.Kind == TokenKind.Name && !t.Is("as")).Select(t => t.Text),
        "with" => tokens.Where((t, i) => t.Kind == TokenKind.Name && i + 1 < tokens.Count && tokens[i + 1].Is("=")).Select(t => t.Text),
        _ => [],
    };

    private static void Blank(char[] text, int start, int end)
    {
        for (var i = start; i < Math.Min(end, text.Length); i++)
        {
            if (text[i] is not ('\n' or '\r'))
            {
                text[i] = ' ';
            }
        }
    }
}

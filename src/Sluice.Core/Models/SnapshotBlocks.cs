using System.Text;
using System.Text.RegularExpressions;
using Sluice.Core.Project;

namespace Sluice.Core.Models;

/// <summary>
/// The <c>{% snapshot name %} … {% endsnapshot %}</c> blocks of a snapshot file. Each block's
/// body is returned inside a copy of the file whose other text is blanked (newlines kept), so
/// that errors in the body keep the file's own line and column numbers.
/// </summary>
public static partial class SnapshotBlocks
{
    /// <summary>The blocks of one file, as (name, text to render).</summary>
    public static IReadOnlyList<(string Name, string Text)> Read(string file, string text)
    {
        var blocks = new List<(string, string)>();
        var position = 0;
        foreach (Match start in Start().Matches(text))
        {
            if (start.Index < position)
            {
                throw new ConfigurationException($"{file}:{Line(text, start.Index)}: a snapshot block starts inside another; close the first with {{% endsnapshot %}}.");
            }

            var end = End().Match(text, start.Index + start.Length);
            if (!end.Success)
            {
                throw new ConfigurationException($"{file}:{Line(text, start.Index)}: the snapshot '{start.Groups["name"].Value}' is never closed; end it with {{% endsnapshot %}}.");
            }

            blocks.Add((start.Groups["name"].Value, Blank(text, start.Index + start.Length, end.Index)));
            position = end.Index + end.Length;
        }

        if (blocks.Count == 0)
        {
            throw new ConfigurationException($"{file}:1: no snapshot block; a snapshot file holds {{% snapshot name %}} select … {{% endsnapshot %}}.");
        }

        return blocks;
    }

    private static string Blank(string text, int from, int to)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            result.Append(i >= from && i < to || text[i] is '\n' or '\r' ? text[i] : ' ');
        }

        return result.ToString();
    }

    private static int Line(string text, int offset) => text.AsSpan(0, offset).Count('\n') + 1;

    [GeneratedRegex(@"\{%-?\s*snapshot\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*-?%\}")]
    private static partial Regex Start();

    [GeneratedRegex(@"\{%-?\s*endsnapshot\s*-?%\}")]
    private static partial Regex End();
}

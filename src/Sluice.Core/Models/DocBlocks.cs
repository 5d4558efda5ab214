using System.Text.RegularExpressions;
using Sluice.Core.Project;

namespace Sluice.Core.Models;

/// <summary>
/// The <c>{% docs name %} … {% enddocs %}</c> blocks of a project's .md files, which
/// descriptions include with <c>{{ doc('name') }}</c>.
/// </summary>
public static partial class DocBlocks
{
    /// <summary>Reads every block under <paramref name="folders"/>; a name used twice is an error.</summary>
    public static IReadOnlyDictionary<string, string> Read(string projectDirectory, IEnumerable<string> folders)
    {
        var blocks = new Dictionary<string, (string Text, string File)>(StringComparer.Ordinal);
        foreach (var path in ProjectFiles.Find(projectDirectory, folders, ".md"))
        {
            var display = ProjectFiles.Relative(projectDirectory, path);
            var text = File.ReadAllText(path);
            foreach (Match match in Block().Matches(text))
            {
                var name = match.Groups["name"].Value;
                if (blocks.TryGetValue(name, out var earlier))
                {
                    var line = text.AsSpan(0, match.Index).Count('\n') + 1;
                    throw new ConfigurationException($"{display}:{line}: the docs block '{name}' is also defined in {earlier.File}; give one of them another name.");
                }

                blocks[name] = (match.Groups["body"].Value.Trim(), display);
            }
        }

        return blocks.ToDictionary(b => b.Key, b => b.Value.Text, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\{%-?\s*docs\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*-?%\}(?<body>.*?)\{%-?\s*enddocs\s*-?%\}", RegexOptions.Singleline)]
    private static partial Regex Block();
}

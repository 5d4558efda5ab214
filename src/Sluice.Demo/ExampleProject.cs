using System.Text.RegularExpressions;

namespace Sluice.Demo;

/// <summary>
/// An example project (examples/&lt;name&gt;) carried inside the tool, so that <c>sluice demo</c>
/// can write it into any folder: as it is, reading the product's PostgreSQL database, or with
/// its sources switched to the CSV files the demo generates.
/// </summary>
/// <param name="name">The example's folder under examples/, which names its embedded files.</param>
/// <param name="csvSources">The <c>sources:</c> section that reads the generated CSV files instead.</param>
public sealed partial class ExampleProject(string name, string csvSources)
{
    /// <summary>The folder, inside the project, of the generated CSV files.</summary>
    public const string DataFolder = "data";

    /// <summary>The example's name.</summary>
    public string Name => name;

    /// <summary>The project's files, by path relative to its folder (with '/').</summary>
    public IReadOnlyDictionary<string, string> Files()
    {
        var prefix = name + "/";
        var assembly = typeof(ExampleProject).Assembly;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            files[resource[prefix.Length..].Replace('\\', '/')] = reader.ReadToEnd();
        }

        return files;
    }

    /// <summary>
    /// Writes the project into <paramref name="directory"/>, reading its sources from CSV files
    /// under <see cref="DataFolder"/> when <paramref name="csv"/> is true. Files that exist are
    /// kept as they are; returns the paths written.
    /// </summary>
    public IReadOnlyList<string> Write(string directory, bool csv)
    {
        var written = new List<string>();
        foreach (var (path, text) in Files())
        {
            var target = Path.Combine(directory, path);
            if (File.Exists(target))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, path == "sluice.yml" && csv ? WithCsvSources(text) : text);
            written.Add(path);
        }

        return written;
    }

    /// <summary>Replaces the <c>sources:</c> section of a sluice.yml text (and the comment above it) with the CSV sources.</summary>
    public string WithCsvSources(string sluiceYml)
    {
        var match = SourcesSection().Match(sluiceYml);
        if (!match.Success)
        {
            throw new InvalidOperationException($"The {name} example's sluice.yml has no sources section.");
        }

        return string.Concat(sluiceYml.AsSpan(0, match.Index), "# The product's tables, as the CSV files `sluice demo` generates under data/.\n", csvSources, sluiceYml.AsSpan(match.Index + match.Length));
    }

    // From the comment lines right above `sources:` to the next top-level key or comment.
    [GeneratedRegex(@"(^#[^\n]*\n)*^sources:\n(^([ \t][^\n]*)?\n)*", RegexOptions.Multiline)]
    private static partial Regex SourcesSection();
}

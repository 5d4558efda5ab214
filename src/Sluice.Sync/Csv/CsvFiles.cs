using System.Security.Cryptography;
using System.Text;
using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;

namespace Sluice.Sync.Csv;

/// <summary>One CSV file matched by a source's path, and the warehouse table it loads into.</summary>
/// <param name="FullPath">The absolute path.</param>
/// <param name="Name">The path relative to the project folder, as it is recorded and shown.</param>
/// <param name="Table">The table name after the source prefix.</param>
public sealed record CsvFile(string FullPath, string Name, string Table)
{
    /// <summary>The file's size and SHA-256, which tell a changed file from a loaded one.</summary>
    public async Task<(long Size, string Sha256)> FingerprintAsync(CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(FullPath);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }
}

/// <summary>Finds the files a CSV source's <c>path</c> names: one file, or a <c>*</c>/<c>?</c> pattern in the file name.</summary>
public static class CsvFiles
{
    /// <summary>The matching files in name order.</summary>
    public static IReadOnlyList<CsvFile> Match(string projectDirectory, CsvSourceDefinition source)
    {
        var full = Path.GetFullPath(Path.Combine(projectDirectory, source.Path));
        var directory = Path.GetDirectoryName(full)!;
        var pattern = Path.GetFileName(full);
        if (directory.IndexOfAny(['*', '?']) >= 0)
        {
            throw new ConfigurationException($"{source.Location}: {source.SettingsName}.path '{source.Path}' has a wildcard in a folder name; wildcards may only appear in the file name, as in data/*.csv.");
        }

        if (!Directory.Exists(directory))
        {
            throw new SourceException($"{source.Location}: source '{source.Name}': the folder {directory} does not exist; check {source.SettingsName}.path.") { IsUserFault = true };
        }

        var paths = pattern.IndexOfAny(['*', '?']) >= 0
            ? Directory.EnumerateFiles(directory, pattern, new EnumerationOptions { MatchCasing = MatchCasing.CaseSensitive, MatchType = MatchType.Simple })
            : File.Exists(full) ? [full] : [];
        return paths
            .Order(StringComparer.Ordinal)
            .Select(p => new CsvFile(p, Path.GetRelativePath(projectDirectory, p), source.Table ?? TableNameOf(p, source)))
            .ToList();
    }

    /// <summary>A table name from a file name: lower case, other characters as '_'.</summary>
    public static string TableNameOf(string path, CsvSourceDefinition source)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var name = Normalize(stem);
        return Identifier.IsValid(name)
            ? name
            : throw new ConfigurationException($"{source.Location}: the file name '{Path.GetFileName(path)}' does not make a table name; rename it or set sources.{source.Name}.table.");
    }

    /// <summary>A column or table name from arbitrary text: lower case letters, digits and '_'.</summary>
    public static string Normalize(string text)
    {
        var name = new StringBuilder(text.Length);
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        var result = name.ToString();
        return result.Length > 0 && char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }
}

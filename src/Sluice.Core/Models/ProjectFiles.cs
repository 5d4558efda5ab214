namespace Sluice.Core.Models;

/// <summary>Finding a project's files: sorted, so that every run sees them in the same order.</summary>
public static class ProjectFiles
{
    /// <summary>Files with one of <paramref name="extensions"/> under the project's <paramref name="folders"/>, recursively.</summary>
    public static IReadOnlyList<string> Find(string projectDirectory, IEnumerable<string> folders, params string[] extensions)
    {
        var files = new List<string>();
        foreach (var folder in folders.Distinct(StringComparer.Ordinal))
        {
            var root = Path.Combine(projectDirectory, folder);
            if (!Directory.Exists(root))
            {
                continue;
            }

            files.AddRange(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase))));
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>A path relative to the project, with '/' separators, as messages and selectors show it.</summary>
    public static string Relative(string projectDirectory, string path) =>
        Path.GetRelativePath(projectDirectory, path).Replace(Path.DirectorySeparatorChar, '/');
}

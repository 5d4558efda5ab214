namespace Sluice.Testing;

/// <summary>Test projects copied from templates on disk.</summary>
public static class TemplateCopy
{
    /// <summary>Copies every file below <paramref name="template"/> into <paramref name="directory"/>, keeping their paths.</summary>
    public static void Into(string template, string directory)
    {
        foreach (var file in Directory.EnumerateFiles(template, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(directory, Path.GetRelativePath(template, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

namespace Sluice.Cli;

/// <summary>Paths written into commands that a user copies into a POSIX shell.</summary>
internal static class ShellQuote
{
    /// <summary>The path as is when the shell reads it back unchanged, else in single quotes.</summary>
    public static string Path(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-') ? path : $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

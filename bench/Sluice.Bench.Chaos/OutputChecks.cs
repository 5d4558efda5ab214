using System.Text.RegularExpressions;

namespace Sluice.Bench.Chaos;

/// <summary>What no output of Sluice may hold, whatever went wrong: stack traces and secrets.</summary>
public static partial class OutputChecks
{
    /// <summary>The problems in <paramref name="text"/>: a stack trace, an exception's type name, or any of <paramref name="secrets"/>.</summary>
    public static List<string> Problems(string text, IEnumerable<string> secrets)
    {
        var problems = new List<string>();
        if (StackFrame().Match(text) is { Success: true } frame)
        {
            problems.Add($"a stack trace ({Shorten(frame.Value.Trim())})");
        }
        else if (ExceptionName().Match(text) is { Success: true } name)
        {
            problems.Add($"an exception's type name ({name.Value})");
        }

        foreach (var secret in secrets.Where(s => s.Length > 0 && text.Contains(s, StringComparison.Ordinal)))
        {
            problems.Add($"a secret ({secret[..Math.Min(4, secret.Length)]}…)");
        }

        return problems;
    }

    /// <summary>At most 200 characters of <paramref name="text"/>, on one line.</summary>
    public static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 200 ? line : line[..200] + "…";
    }

    [GeneratedRegex(@"^\s+at [\w.`<>$]+\.[\w<>$]+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"\b(System|Npgsql|Sluice)(\.\w+)*\.\w*Exception\b")]
    private static partial Regex ExceptionName();
}

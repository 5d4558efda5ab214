using System.Text.RegularExpressions;

namespace Sluice.Operate.Alerts;

/// <summary>The name patterns of alerts.yml, such as <c>fct_*</c>: a <c>*</c> stands for any characters, the rest is literal.</summary>
internal static class AlertPatterns
{
    /// <summary>The whole-name expression of <paramref name="pattern"/>.</summary>
    public static Regex Glob(string pattern) =>
        new($"^{Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal)}$", RegexOptions.CultureInvariant);

    /// <summary>Whether a name is one of <paramref name="patterns"/>; every name is when there are none.</summary>
    public static Func<string, bool> Matcher(IReadOnlyList<string> patterns)
    {
        var globs = patterns.Select(Glob).ToList();
        return name => globs.Count == 0 || globs.Any(g => g.IsMatch(name));
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Sluice.Core.Checks;

/// <summary>
/// dbt's <c>warn_if</c> and <c>error_if</c>: a comparison that is appended to the test's
/// <c>fail_calc</c> in SQL, so only a comparison operator with a number is taken.
/// </summary>
public static partial class TestThresholds
{
    /// <summary>dbt's default for both: any failure counts.</summary>
    public const string AnyFailure = "!= 0";

    /// <summary><paramref name="text"/> as SQL (<c>&gt;10</c> → <c>&gt; 10</c>, <c>==</c> → <c>=</c>), or null when it is no comparison with a number.</summary>
    public static string? Normalize(string text)
    {
        if (Comparison().Match(text) is not { Success: true } match)
        {
            return null;
        }

        var op = match.Groups["op"].Value is "==" ? "=" : match.Groups["op"].Value;
        var number = double.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        return $"{op} {number.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>What a bad threshold is told: <c>warn_if must be a comparison with a number, …</c>.</summary>
    public static string Problem(string key, string text) => $"{key} must be a comparison with a number, such as '!= 0' or '>10', not '{text}'.";

    [GeneratedRegex(@"^\s*(?<op>==|!=|<>|<=|>=|=|<|>)\s*(?<number>-?\d+(\.\d+)?)\s*$")]
    private static partial Regex Comparison();
}

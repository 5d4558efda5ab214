using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Sluice.Cli.Tasks;

/// <summary>
/// Options that take a whole number within a range (<c>--threads</c>, <c>--limit</c>, …). A value
/// out of range or not a number is a usage error naming the option, the range and what was given;
/// System.CommandLine's own message names a .NET type instead, and a validator that reads the
/// value of a word such as "abc" throws.
/// </summary>
internal static class WholeNumberOption
{
    /// <summary>An option with a default, used when it is not given.</summary>
    public static Option<int> Create(string name, int min, int? max, int defaultValue, params string[] aliases) => new(name, aliases)
    {
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name, min, max) ?? defaultValue,
    };

    /// <summary>An option that is null when not given.</summary>
    public static Option<int?> CreateOptional(string name, int min, int? max, params string[] aliases) => new(name, aliases)
    {
        CustomParser = result => Parse(result, name, min, max),
    };

    private static int? Parse(ArgumentResult result, string name, int min, int? max)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[^1].Value;
        var range = max is null ? $"{min} or more" : $"between {min} and {max}";
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name} must be a whole number{(max is null ? ", " : " ")}{range}, not '{text}'.");
            return null;
        }

        if (value < min || value > max)
        {
            result.AddError($"{name} must be {range}.");
            return null;
        }

        return value;
    }
}

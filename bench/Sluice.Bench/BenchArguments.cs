using System.Globalization;

namespace Sluice.Bench;

/// <summary>
/// The benchmarks' command lines: <c>--name value</c> pairs folded into an options record, with
/// <c>--help</c> and every mistake reported as an <see cref="ArgumentException"/> carrying the usage.
/// </summary>
internal static class BenchArguments
{
    /// <summary>Applies each <c>--name value</c> pair to <paramref name="options"/> through <paramref name="apply"/>, which returns null for an unknown name.</summary>
    public static T Parse<T>(IReadOnlyList<string> args, T options, string usage, Func<T, string, string, T?> apply)
        where T : class
    {
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException(usage);
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.\n{usage}");
            }

            options = apply(options, name, args[++i]) ?? throw new ArgumentException($"Unknown option {name}.\n{usage}");
        }

        return options;
    }

    /// <summary>A whole number from 1 to <paramref name="max"/>.</summary>
    public static long Positive(string name, string value, long max = long.MaxValue) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 0 && number <= max
            ? number
            : throw new ArgumentException($"{name} must be a whole number {(max == long.MaxValue ? "above 0" : $"from 1 to {max}")}, not '{value}'.");
}

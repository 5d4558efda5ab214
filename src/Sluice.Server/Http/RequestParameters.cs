using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Sluice.Server.Http;

/// <summary>
/// The query string of one request, read parameter by parameter: each reader names the
/// parameter in its error, and <see cref="RejectUnknown"/> refuses any parameter the endpoint
/// did not ask for, so that a misspelt filter fails instead of being ignored.
/// </summary>
internal sealed class RequestParameters(IQueryCollection query)
{
    /// <summary>The longest value accepted; longer ones are refused rather than sent to the warehouse.</summary>
    public const int MaxValueLength = 1000;

    private readonly HashSet<string> _accepted = new(StringComparer.Ordinal);
    private readonly List<string> _prefixes = [];

    /// <summary>A parameter given at most once, or null when absent.</summary>
    public string? Text(string name)
    {
        _accepted.Add(name);
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        return values.Count > 1
            ? throw ApiProblem.BadParameter(name, $"'{name}' is given {values.Count} times; give it once.")
            : Checked(name, values[0] ?? string.Empty);
    }

    /// <summary>Every value of a parameter that may be repeated (<c>?a=1&amp;a=2</c>); empty when absent.</summary>
    public IReadOnlyList<string> Values(string name)
    {
        _accepted.Add(name);
        return query.TryGetValue(name, out var values) ? [.. values.Select(v => Checked(name, v ?? string.Empty))] : [];
    }

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public int Int(string name, int fallback, int min, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw ApiProblem.BadParameter(name, $"'{name}' must be a whole number from {min} to {max}, not '{Shown(text)}'.");
    }

    /// <summary>A day written YYYY-MM-DD, or null when absent.</summary>
    public DateOnly? Date(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw ApiProblem.BadParameter(name, $"'{name}' must be a day written YYYY-MM-DD, such as 2025-01-31, not '{Shown(text)}'.");
    }

    /// <summary>One of <paramref name="choices"/>, or <paramref name="fallback"/> when absent.</summary>
    public string Choice(string name, string fallback, params string[] choices)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        return choices.Contains(text, StringComparer.Ordinal)
            ? text
            : throw ApiProblem.BadParameter(name, $"'{name}' must be one of {string.Join(", ", choices)}, not '{Shown(text)}'.");
    }

    /// <summary>A comma-separated list of at most <paramref name="max"/> non-empty items; empty when absent.</summary>
    public IReadOnlyList<string> List(string name, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return [];
        }

        var items = text.Split(',', StringSplitOptions.TrimEntries);
        if (items.Any(i => i.Length == 0))
        {
            throw ApiProblem.BadParameter(name, $"'{name}' is a comma-separated list with an empty item: '{Shown(text)}'.");
        }

        return items.Length <= max ? items : throw ApiProblem.BadParameter(name, $"'{name}' takes at most {max} items, not {items.Length}.");
    }

    /// <summary>
    /// The parameters written <c>prefix[key]=value</c> (a key given more than once keeps each
    /// value), keyed by what is between the brackets.
    /// </summary>
    public IReadOnlyList<(string Parameter, string Key, string Value)> Bracketed(string prefix)
    {
        _prefixes.Add(prefix + "[");
        var found = new List<(string, string, string)>();
        foreach (var (parameter, values) in query)
        {
            if (!parameter.StartsWith(prefix + "[", StringComparison.Ordinal))
            {
                continue;
            }

            if (!parameter.EndsWith(']') || parameter.Length <= prefix.Length + 2)
            {
                throw ApiProblem.BadParameter(parameter, $"'{Shown(parameter)}' must be written {prefix}[name]=value.");
            }

            var key = parameter[(prefix.Length + 1)..^1];
            foreach (var value in values)
            {
                found.Add((parameter, key, Checked(parameter, value ?? string.Empty)));
            }
        }

        return found;
    }

    /// <summary>Refuses any parameter no reader asked for, listing those the endpoint takes.</summary>
    public void RejectUnknown()
    {
        foreach (var name in query.Keys)
        {
            if (!_accepted.Contains(name) && !_prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                var known = _accepted.Concat(_prefixes.Select(p => p + "…]")).Order(StringComparer.Ordinal);
                throw ApiProblem.BadParameter(name, $"Unknown parameter '{Shown(name)}'; this endpoint takes {string.Join(", ", known)}.");
            }
        }
    }

    /// <summary>A value as an error message may quote it: shortened, on one line.</summary>
    public static string Shown(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 60 ? line : line[..57] + "...";
    }

    private static string Checked(string name, string value) =>
        value.Length > MaxValueLength ? throw ApiProblem.BadParameter(name, $"'{name}' is {value.Length} characters long; values are limited to {MaxValueLength}.")

            // No text a warehouse holds contains NUL, and PostgreSQL refuses it in a parameter.
            : value.Contains('\0', StringComparison.Ordinal) ? throw ApiProblem.BadParameter(name, $"'{name}' holds a NUL character (%00), which no value can; leave it out.")
            : value;
}

using System.Text.Json;

namespace Sluice.Bench;

/// <summary>
/// Compares two JSON answers to the same question from different engines: the same shape, the
/// same strings, and numbers equal within a relative tolerance (engines sum floating-point
/// values in different orders, so the last digits of an average may differ). The answer's
/// <c>meta</c> is left out.
/// </summary>
internal static class AnswerComparison
{
    private const double Relative = 1e-6;
    private const double Absolute = 1e-9;

    /// <summary>Where the answers first differ, or null when they agree.</summary>
    public static string? FirstDifference(string expected, string actual)
    {
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        return Compare(a.RootElement, b.RootElement, "$");
    }

    private static string? Compare(JsonElement a, JsonElement b, string at)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return $"{at}: {Shown(a)} against {Shown(b)}";
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var names = a.EnumerateObject().Select(p => p.Name).Union(b.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);
                foreach (var name in names)
                {
                    // How the answer was made (its query time, the data version) differs by engine and by run.
                    if (at == "$" && name == "meta")
                    {
                        continue;
                    }

                    var (hasA, hasB) = (a.TryGetProperty(name, out var va), b.TryGetProperty(name, out var vb));
                    if (!hasA || !hasB)
                    {
                        return $"{at}.{name}: present in only one answer";
                    }

                    if (Compare(va, vb, $"{at}.{name}") is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var (ea, eb) = (a.EnumerateArray().ToList(), b.EnumerateArray().ToList());
                if (ea.Count != eb.Count)
                {
                    return $"{at}: {ea.Count} items against {eb.Count}";
                }

                return ea.Zip(eb).Select((p, i) => Compare(p.First, p.Second, $"{at}[{i}]")).FirstOrDefault(d => d is not null);
            case JsonValueKind.Number:
                var (x, y) = (a.GetDouble(), b.GetDouble());
                return Math.Abs(x - y) <= Absolute + Relative * Math.Max(Math.Abs(x), Math.Abs(y)) ? null : $"{at}: {Shown(a)} against {Shown(b)}";
            default:
                return a.GetRawText() == b.GetRawText() ? null : $"{at}: {Shown(a)} against {Shown(b)}";
        }
    }

    private static string Shown(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length > 80 ? text[..80] + "…" : text;
    }
}

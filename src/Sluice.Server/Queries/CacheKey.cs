using Sluice.Warehouses.Values;

namespace Sluice.Server.Queries;

/// <summary>Pieces of the canonical request keys the answer cache uses: equal keys for requests with equal answers, and no two requests sharing one.</summary>
internal static class CacheKey
{
    /// <summary><paramref name="text"/> with the key's separators (<c>\ | &amp;</c>) escaped.</summary>
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal).Replace("&", "\\&", StringComparison.Ordinal);

    /// <summary>A set of values: escaped, in order, so that the order they were given in does not matter.</summary>
    public static string Values(IEnumerable<object> values) =>
        string.Join("|", values.Select(v => Escape(ValueText.Format(v))).Order(StringComparer.Ordinal));
}

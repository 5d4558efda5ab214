namespace Sluice.Operate.Retention;

/// <summary>
/// How long Sluice keeps its own history in <c>_sluice</c>, per history table (see
/// <see cref="HistoryTables"/>); read from the <c>retention:</c> section of sluice.yml by
/// <see cref="RetentionReader"/>. A limit of null keeps a table's history forever. State that the
/// pipeline depends on is kept whatever the limit.
/// </summary>
/// <param name="Default">The limit of every history table that <paramref name="Limits"/> does not name; null keeps them forever.</param>
/// <param name="Limits">Limits of single tables, by table name; a null value keeps that table forever.</param>
public sealed record RetentionPolicy(TimeSpan? Default, IReadOnlyDictionary<string, TimeSpan?> Limits)
{
    /// <summary>The limit when sluice.yml names none: 90 days.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromDays(90);

    /// <summary>The policy of a project without a <c>retention:</c> section: 90 days for every history table.</summary>
    public static RetentionPolicy Standard { get; } = new(DefaultLimit, new Dictionary<string, TimeSpan?>());

    /// <summary>How long the history of <paramref name="table"/> is kept; null for forever.</summary>
    public TimeSpan? LimitFor(string table) => Limits.TryGetValue(table, out var limit) ? limit : Default;

    /// <summary>A limit as sluice.yml writes it: <c>90d</c>, <c>1d12h</c>, <c>forever</c>.</summary>
    public static string Describe(TimeSpan? limit)
    {
        if (limit is not { } span)
        {
            return "forever";
        }

        var parts = new[] { (span.Days, "d"), (span.Hours, "h"), (span.Minutes, "m"), (span.Seconds, "s"), (span.Milliseconds, "ms") }
            .Where(p => p.Item1 > 0)
            .Select(p => $"{p.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture)}{p.Item2}");
        return string.Concat(parts);
    }
}

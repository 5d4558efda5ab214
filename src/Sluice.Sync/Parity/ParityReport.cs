namespace Sluice.Sync.Parity;

/// <summary>Live rows of one day (or of the whole table, when <see cref="Day"/> is null) in the source and in the warehouse.</summary>
/// <param name="Day">The UTC day of the parity date column; null for the table's total.</param>
/// <param name="SourceCount">Live rows in the source.</param>
/// <param name="WarehouseCount">Live rows in the raw table (<c>_sluice_deleted_at</c> is NULL).</param>
/// <param name="SourceChecksum">The sum of the keys' MD5 bits in the source; null when the key's type has no engine-independent text.</param>
/// <param name="WarehouseChecksum">The same sum in the warehouse.</param>
public sealed record ParityDay(DateOnly? Day, long SourceCount, long WarehouseCount, string? SourceChecksum, string? WarehouseChecksum)
{
    /// <summary>How many rows the day is off by; at least 1 when the counts agree and the keys do not.</summary>
    public long Mismatches => Math.Max(Math.Abs(SourceCount - WarehouseCount), SourceChecksum == WarehouseChecksum ? 0 : 1);

    /// <summary>Mismatches over the source's rows (over 1 when the source has none).</summary>
    public double MismatchRatio => Mismatches / (double)Math.Max(1, SourceCount);

    /// <summary>True when counts and checksums agree.</summary>
    public bool Matches => Mismatches == 0;
}

/// <summary>One parity check of one table.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="Table">The table's name in the source.</param>
/// <param name="CheckedAt">When the check ran.</param>
/// <param name="DateColumn">The column whose day groups <see cref="Days"/>; null for totals only.</param>
/// <param name="Total">The whole table.</param>
/// <param name="Days">Each day present on either side, in order (rows whose date is NULL count only in the total).</param>
public sealed record ParityReport(string Source, string Table, DateTime CheckedAt, string? DateColumn, ParityDay Total, IReadOnlyList<ParityDay> Days)
{
    /// <summary>The days whose counts or checksums differ.</summary>
    public IReadOnlyList<ParityDay> MismatchedDays => [.. Days.Where(d => !d.Matches)];

    /// <summary>True when the total and every day agree.</summary>
    public bool Matches => Total.Matches && Days.All(d => d.Matches);
}

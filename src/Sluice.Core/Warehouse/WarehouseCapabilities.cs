namespace Sluice.Core.Warehouse;

/// <summary>What a warehouse engine supports. The core asks these; it never tests adapter types.</summary>
/// <param name="Transactions">Multi-statement transactions with rollback.</param>
/// <param name="TransactionalDdl">CREATE/ALTER/DROP take part in transactions.</param>
/// <param name="AtomicRename">A table can be renamed inside a transaction, so swaps are atomic.</param>
/// <param name="Merge">MERGE INTO is available.</param>
/// <param name="PartitionReplace">Delete-and-insert of a key range in one transaction.</param>
/// <param name="ConcurrentWriters">Several processes may write at once (false for a DuckDB file).</param>
/// <param name="ReadsLocalCsv">SQL can read CSV files on this machine (DuckDB's read_csv), so loads need not stream rows.</param>
public sealed record WarehouseCapabilities(
    bool Transactions,
    bool TransactionalDdl,
    bool AtomicRename,
    bool Merge,
    bool PartitionReplace,
    bool ConcurrentWriters,
    bool ReadsLocalCsv)
{
    /// <summary>
    /// SQL can write a query's rows to a Parquet file on this machine and read such a file back
    /// (DuckDB's <c>COPY (query) TO 'file' (FORMAT parquet)</c> and <c>read_parquet</c>), so an
    /// export to Parquet need not stream rows through Sluice. False for a server, whose
    /// <c>COPY … TO</c> writes on the server's machine.
    /// </summary>
    public bool WritesLocalParquet { get; init; }

    /// <summary>
    /// Timestamps keep fractions of a second (microseconds on DuckDB and PostgreSQL). False for
    /// ClickHouse before 20.1, whose DateTime counts whole seconds: fractions are cut off on load.
    /// </summary>
    public bool SubsecondTimestamps { get; init; } = true;

    /// <summary>
    /// Window functions (<c>count(*) over ()</c>, <c>row_number() over (…)</c>). False for
    /// ClickHouse before 21.1: queries that would use one ask a second query instead.
    /// </summary>
    public bool WindowFunctions { get; init; } = true;
}

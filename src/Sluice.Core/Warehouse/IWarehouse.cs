namespace Sluice.Core.Warehouse;

/// <summary>
/// An analytics warehouse: DuckDB file, PostgreSQL server, later ClickHouse. Sessions do the
/// work; the warehouse states what its engine can do in <see cref="Capabilities"/>, and callers
/// ask that rather than testing the adapter's type.
/// </summary>
public interface IWarehouse : IAsyncDisposable
{
    /// <summary>The engine's short name: "duckdb", "postgres" or "clickhouse".</summary>
    string Engine { get; }

    /// <summary>Where the warehouse is, with any password masked; safe to print.</summary>
    string DisplayLocation { get; }

    /// <summary>What the engine supports.</summary>
    WarehouseCapabilities Capabilities { get; }

    /// <summary>The SQL dialect: quoting and type names.</summary>
    ISqlDialect Dialect { get; }

    /// <summary>
    /// When only this process can write to the warehouse (an embedded DuckDB file is locked by
    /// the process that opens it), a count that moves after each write this process makes, so
    /// that a reader can tell nothing changed since it last looked without asking the engine;
    /// null when other processes may write (a database server).
    /// </summary>
    long? WritesInProcess { get; }

    /// <summary>Opens a session (a connection). Dispose it to give the connection back.</summary>
    Task<IWarehouseSession> OpenSessionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the hold named <paramref name="name"/>, which one process at a time may have on this
    /// warehouse, until the result is disposed or the process ends (a crash lets it go too):
    /// a session advisory lock on a database server; on a DuckDB file, which one process opens
    /// at a time, keeping the file open. Returns null when another process has it.
    /// </summary>
    /// <param name="name">What is held, such as "scheduler".</param>
    /// <param name="holder">This process, as <see cref="FindHolderAsync"/> shows it to others: "sluice schedule on host-1 (pid 412)".</param>
    /// <param name="cancellationToken">Cancels taking it.</param>
    Task<IAsyncDisposable?> TryHoldAsync(string name, string holder, CancellationToken cancellationToken = default);

    /// <summary>The process that has the hold <paramref name="name"/>, as it described itself; null when none has it or the engine cannot tell.</summary>
    Task<string?> FindHolderAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the engine's parser for <see cref="ISqlSyntaxCheck"/>: how depends on the engine
    /// (an embedded one may parse without opening the warehouse's file; a server is asked over
    /// a connection). Dispose it when done.
    /// </summary>
    Task<ISqlSyntaxCheck> OpenSyntaxCheckAsync(CancellationToken cancellationToken = default);
}

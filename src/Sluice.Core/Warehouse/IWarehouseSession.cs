using System.Data.Common;

namespace Sluice.Core.Warehouse;

/// <summary>
/// One connection to a warehouse. Parameters are positional and written <c>$1</c>, <c>$2</c>, …
/// in SQL, which both DuckDB and PostgreSQL accept. A session is not thread-safe.
/// </summary>
public interface IWarehouseSession : IAsyncDisposable
{
    /// <summary>The warehouse this session belongs to.</summary>
    IWarehouse Warehouse { get; }

    /// <summary>The engine's version string.</summary>
    Task<string> GetEngineVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs SQL (one statement or a script) and returns the rows changed, or -1.</summary>
    Task<int> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a query and streams its rows. Dispose the reader before using the session again.</summary>
    Task<DbDataReader> QueryAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a query and returns the first column of the first row, or null.</summary>
    Task<object?> ScalarAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Begins a transaction; dispose without commit rolls back.</summary>
    Task<IWarehouseTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default);

    /// <summary>True while a transaction is open on this session.</summary>
    bool InTransaction { get; }

    /// <summary>Schemas in the warehouse, without the engine's system schemas.</summary>
    Task<IReadOnlyList<string>> ListSchemasAsync(CancellationToken cancellationToken = default);

    /// <summary>Tables (not views) in a schema.</summary>
    Task<IReadOnlyList<TableName>> ListTablesAsync(string schema, CancellationToken cancellationToken = default);

    /// <summary>A table's columns in order, or null when it does not exist.</summary>
    Task<TableInfo?> DescribeTableAsync(TableName table, CancellationToken cancellationToken = default);

    /// <summary>Creates a schema unless it exists.</summary>
    Task CreateSchemaAsync(string schema, CancellationToken cancellationToken = default);

    /// <summary>Creates a table from column specs; fails if it exists.</summary>
    Task CreateTableAsync(TableName table, IReadOnlyList<ColumnSpec> columns, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a table for intermediate rows that need not survive a crash, such as a staging
    /// table that lives inside one transaction (unlogged on PostgreSQL); fails if it exists.
    /// </summary>
    Task CreateScratchTableAsync(TableName table, IReadOnlyList<ColumnSpec> columns, CancellationToken cancellationToken = default);

    /// <summary>Adds a nullable column at the end of a table.</summary>
    Task AddColumnAsync(TableName table, ColumnSpec column, CancellationToken cancellationToken = default);

    /// <summary>Changes a column to a type that holds every value of its current one (int to bigint).</summary>
    Task AlterColumnTypeAsync(TableName table, string column, ColumnType type, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes lookups by <paramref name="keyColumns"/> fast where the engine needs an index for
    /// that (a unique index on PostgreSQL; nothing on DuckDB, whose hash joins need none).
    /// </summary>
    Task EnsureKeyIndexAsync(TableName table, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken = default);

    /// <summary>
    /// Merges the rows of <paramref name="staging"/> into <paramref name="target"/> by key: rows
    /// of the target whose key appears in the staging table are replaced, the others are kept.
    /// Keys in the staging table must be unique and not null. Returns the rows written. Joins the
    /// open transaction; run it inside one so that readers never see the delete without the insert.
    /// </summary>
    Task<long> UpsertAsync(TableName target, TableName staging, IReadOnlyList<string> keyColumns, IReadOnlyList<string> columns, CancellationToken cancellationToken = default);

    /// <summary>Drops a table if it exists.</summary>
    Task DropTableAsync(TableName table, CancellationToken cancellationToken = default);

    /// <summary>
    /// Bulk-loads rows into an existing table (DuckDB appender, PostgreSQL binary COPY).
    /// <paramref name="columns"/> names the value positions in each row; the producer may reuse
    /// the row array between items. Joins the open transaction, if any.
    /// </summary>
    Task<long> BulkLoadAsync(TableName table, IReadOnlyList<string> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a whole table atomically: the rows are loaded into a new table, which then
    /// takes the old one's name in one transaction. Readers see the old rows or the new ones,
    /// never a mix or an empty table. <paramref name="alsoInTransaction"/> runs inside the swap
    /// transaction (for example to record state).
    /// </summary>
    Task<long> ReplaceTableAsync(
        TableName table,
        IReadOnlyList<ColumnSpec> columns,
        IAsyncEnumerable<object?[]> rows,
        Func<IWarehouseSession, CancellationToken, Task>? alsoInTransaction = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces one partition (the rows whose <see cref="PartitionRange.Column"/> is in
    /// [From, To)) with <paramref name="rows"/> in a single transaction, together with
    /// <paramref name="alsoInTransaction"/>.
    /// </summary>
    Task<long> ReplacePartitionAsync(
        TableName table,
        PartitionRange range,
        IReadOnlyList<string> columns,
        IAsyncEnumerable<object?[]> rows,
        Func<IWarehouseSession, CancellationToken, Task>? alsoInTransaction = null,
        CancellationToken cancellationToken = default);
}

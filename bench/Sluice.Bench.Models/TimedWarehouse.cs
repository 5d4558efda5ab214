using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Sluice.Core.Warehouse;

namespace Sluice.Bench;

/// <summary>
/// Wraps a real warehouse and adds up the time its calls spend in the engine (statements,
/// queries, commits, opening sessions), so that a run's wall time minus that sum is the time
/// spent in Sluice itself; also by statement shape, to show where the engine time goes.
/// Meaningful with one thread: parallel calls would overlap.
/// </summary>
internal sealed partial class TimedWarehouse(IWarehouse inner) : IWarehouse
{
    private const int ShapeLength = 60;

    private readonly ConcurrentDictionary<string, (long Ticks, int Calls)> _shapes = new(StringComparer.Ordinal);
    private long _engineTicks;
    private long _calls;

    /// <summary>Time spent inside the engine since the last <see cref="Reset"/>.</summary>
    public TimeSpan EngineTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _engineTicks));

    /// <summary>Calls into the engine since the last <see cref="Reset"/>.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public string Engine => inner.Engine;

    public string DisplayLocation => inner.DisplayLocation;

    public WarehouseCapabilities Capabilities => inner.Capabilities;

    public ISqlDialect Dialect => inner.Dialect;

    public long? WritesInProcess => inner.WritesInProcess;

    public void Reset()
    {
        Interlocked.Exchange(ref _engineTicks, 0);
        Interlocked.Exchange(ref _calls, 0);
        _shapes.Clear();
    }

    /// <summary>The statement shapes (names replaced by X) that took the most engine time since the last <see cref="Reset"/>.</summary>
    public IEnumerable<(string Shape, TimeSpan Time, int Calls)> Heaviest(int count) =>
        _shapes.OrderByDescending(s => s.Value.Ticks).Take(count).Select(s => (s.Key, Stopwatch.GetElapsedTime(0, s.Value.Ticks), s.Value.Calls));

    public async Task<IWarehouseSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        new TimedSession(this, await Time("(open a session)", () => inner.OpenSessionAsync(cancellationToken)));

    public Task<ISqlSyntaxCheck> OpenSyntaxCheckAsync(CancellationToken cancellationToken = default) => inner.OpenSyntaxCheckAsync(cancellationToken);

    public Task<IAsyncDisposable?> TryHoldAsync(string name, string holder, CancellationToken cancellationToken = default) => inner.TryHoldAsync(name, holder, cancellationToken);

    public Task<string?> FindHolderAsync(string name, CancellationToken cancellationToken = default) => inner.FindHolderAsync(name, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async Task<T> Time<T>(string what, Func<Task<T>> call)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            var ticks = Stopwatch.GetTimestamp() - start;
            Interlocked.Add(ref _engineTicks, ticks);
            Interlocked.Increment(ref _calls);
            var shape = QuotedName().Replace(what, "X").ReplaceLineEndings(" ");
            _shapes.AddOrUpdate(shape[..Math.Min(ShapeLength, shape.Length)], (ticks, 1), (_, total) => (total.Ticks + ticks, total.Calls + 1));
        }
    }

    private Task Time(string what, Func<Task> call) => Time(what, async () =>
    {
        await call();
        return true;
    });

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex QuotedName();

    private sealed class TimedSession(TimedWarehouse warehouse, IWarehouseSession inner) : IWarehouseSession
    {
        public IWarehouse Warehouse => warehouse;

        public bool InTransaction => inner.InTransaction;

        public Task<string> GetEngineVersionAsync(CancellationToken cancellationToken = default) => warehouse.Time("(engine version)", () => inner.GetEngineVersionAsync(cancellationToken));

        public Task<int> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default) =>
            warehouse.Time(sql, () => inner.ExecuteAsync(sql, parameters, cancellationToken));

        // The query's execution counts; reading its rows does not (the run's queries read a few rows of metadata).
        public Task<DbDataReader> QueryAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default) =>
            warehouse.Time(sql, () => inner.QueryAsync(sql, parameters, cancellationToken));

        public Task<object?> ScalarAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default) =>
            warehouse.Time(sql, () => inner.ScalarAsync(sql, parameters, cancellationToken));

        public async Task<IWarehouseTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
            new TimedTransaction(warehouse, await warehouse.Time("(begin)", () => inner.BeginTransactionAsync(cancellationToken)));

        public Task<IReadOnlyList<string>> ListSchemasAsync(CancellationToken cancellationToken = default) => warehouse.Time("(list schemas)", () => inner.ListSchemasAsync(cancellationToken));

        public Task<IReadOnlyList<TableName>> ListTablesAsync(string schema, CancellationToken cancellationToken = default) => warehouse.Time("(list tables)", () => inner.ListTablesAsync(schema, cancellationToken));

        public Task<TableInfo?> DescribeTableAsync(TableName table, CancellationToken cancellationToken = default) => warehouse.Time("(describe a table)", () => inner.DescribeTableAsync(table, cancellationToken));

        public Task CreateSchemaAsync(string schema, CancellationToken cancellationToken = default) => warehouse.Time("(create a schema)", () => inner.CreateSchemaAsync(schema, cancellationToken));

        public Task CreateTableAsync(TableName table, IReadOnlyList<ColumnSpec> columns, CancellationToken cancellationToken = default) => warehouse.Time("(create a table)", () => inner.CreateTableAsync(table, columns, cancellationToken));

        public Task CreateScratchTableAsync(TableName table, IReadOnlyList<ColumnSpec> columns, CancellationToken cancellationToken = default) => warehouse.Time("(create a scratch table)", () => inner.CreateScratchTableAsync(table, columns, cancellationToken));

        public Task AddColumnAsync(TableName table, ColumnSpec column, CancellationToken cancellationToken = default) => warehouse.Time("(add a column)", () => inner.AddColumnAsync(table, column, cancellationToken));

        public Task AlterColumnTypeAsync(TableName table, string column, ColumnType type, CancellationToken cancellationToken = default) => warehouse.Time("(alter a column)", () => inner.AlterColumnTypeAsync(table, column, type, cancellationToken));

        public Task EnsureKeyIndexAsync(TableName table, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken = default) => warehouse.Time("(key index)", () => inner.EnsureKeyIndexAsync(table, keyColumns, cancellationToken));

        public Task<long> UpsertAsync(TableName target, TableName staging, IReadOnlyList<string> keyColumns, IReadOnlyList<string> columns, CancellationToken cancellationToken = default) =>
            warehouse.Time("(upsert)", () => inner.UpsertAsync(target, staging, keyColumns, columns, cancellationToken));

        public Task DropTableAsync(TableName table, CancellationToken cancellationToken = default) => warehouse.Time("(drop a table)", () => inner.DropTableAsync(table, cancellationToken));

        public Task<long> BulkLoadAsync(TableName table, IReadOnlyList<string> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken = default) =>
            warehouse.Time("(bulk load)", () => inner.BulkLoadAsync(table, columns, rows, cancellationToken));

        public Task<long> ReplaceTableAsync(TableName table, IReadOnlyList<ColumnSpec> columns, IAsyncEnumerable<object?[]> rows, Func<IWarehouseSession, CancellationToken, Task>? alsoInTransaction = null, CancellationToken cancellationToken = default) =>
            warehouse.Time("(replace a table)", () => inner.ReplaceTableAsync(table, columns, rows, alsoInTransaction, cancellationToken));

        public Task<long> ReplacePartitionAsync(TableName table, PartitionRange range, IReadOnlyList<string> columns, IAsyncEnumerable<object?[]> rows, Func<IWarehouseSession, CancellationToken, Task>? alsoInTransaction = null, CancellationToken cancellationToken = default) =>
            warehouse.Time("(replace a partition)", () => inner.ReplacePartitionAsync(table, range, columns, rows, alsoInTransaction, cancellationToken));

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class TimedTransaction(TimedWarehouse warehouse, IWarehouseTransaction inner) : IWarehouseTransaction
    {
        public Task CommitAsync(CancellationToken cancellationToken = default) => warehouse.Time("(commit)", () => inner.CommitAsync(cancellationToken));

        public Task RollbackAsync(CancellationToken cancellationToken = default) => warehouse.Time("(rollback)", () => inner.RollbackAsync(cancellationToken));

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

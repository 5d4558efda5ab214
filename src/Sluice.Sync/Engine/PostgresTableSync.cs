using System.Diagnostics;
using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.Sync.Parity;
using Sluice.Sync.Postgres;
using Sluice.Warehouses.Postgres;

namespace Sluice.Sync.Engine;

/// <summary>
/// One sync of one PostgreSQL table. Each batch is staged, merged into the raw table by primary
/// key, and committed together with the new watermark and the run's row, so that a process
/// killed at any instant leaves the raw table and its watermark in step.
/// </summary>
internal sealed class PostgresTableSync(IWarehouse warehouse, PostgresSource source, SyncTableDefinition definition, SyncOptions options, ISyncObserver observer)
{
    private const int ProgressEvery = 10_000;

    private readonly string _sourceName = source.Definition.Name;
    private readonly TableName _raw = RawTables.For(source.Definition.Name, definition.Name);
    private readonly DateTime _startedAt = DateTime.UtcNow;
    private readonly string _runId = Guid.NewGuid().ToString("N");
    private readonly HashSet<string> _warned = [];
    private string _mode = options.ParityOnly && !options.Repair ? "parity" : options.FullRefresh ? "full-refresh" : definition.IsIncremental ? "incremental" : "full";
    private long _rowsRead;
    private long _rowsUpserted;
    private long _rowsDeleted;
    private long _bytes;
    private string? _watermarkBefore;
    private string? _watermarkAfter;
    private bool _watermarkBeforeKnown;
    private ParityReport? _parity;

    /// <summary>Runs the sync, retrying transient failures from the last committed batch.</summary>
    public async Task<TableSyncResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        observer.TableStarted(_sourceName, definition.Name, null);
        try
        {
            if (options.MaxRetries > 0)
            {
                await SyncRetries.Create(options, observer, $"{_sourceName}.{definition.Name}")
                    .ExecuteAsync(async token => await AttemptAsync(token), cancellationToken);
            }
            else
            {
                await AttemptAsync(cancellationToken);
            }
            return Result(SyncStatus.Success, clock.Elapsed) with { Parity = _parity };
        }
        catch (Exception e) when (e is SluiceException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            var result = Result(SyncStatus.Failed, clock.Elapsed) with { Error = SecretMasker.Mask(e.Message), IsUserFault = SyncFailures.IsUserFault(e) };
            await SyncFailures.RecordAsync(warehouse, Run("failed", DateTime.UtcNow, result.Error), observer);
            return result;
        }
    }

    private async Task AttemptAsync(CancellationToken cancellationToken)
    {
        var table = await source.DescribeAsync(definition, cancellationToken);
        foreach (var column in table.Columns.Where(c => c.Warning is not null))
        {
            Warn(column.Warning!);
        }

        var keys = definition.PrimaryKey.Count > 0 ? definition.PrimaryKey : table.PrimaryKey;
        if (keys.Count == 0 && (definition.IsIncremental || options.Reconcile))
        {
            throw new SourceException(
                $"{definition.Location}: {table.QualifiedName} in source '{_sourceName}' has no primary key, which merging rows by key needs; add `primary_key: [<column>]` to the table in sluice.yml.")
            {
                IsUserFault = true,
            };
        }

        var cursor = definition.Cursor is null ? null : table.Column(definition.Cursor)!;
        if (cursor is not null)
        {
            CheckCursor(table, cursor);
        }

        ParityCheck.Validate(definition, table);
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        var state = await SyncStateStore.ReadAsync(session, _sourceName, definition.Name, cancellationToken);
        var existing = await session.DescribeTableAsync(_raw, cancellationToken);
        if (options.ParityOnly && !options.Repair)
        {
            if (existing is null)
            {
                throw new SourceException($"{_raw} does not exist yet, so there is nothing to compare {table.QualifiedName} with; run `sluice sync` first.") { IsUserFault = true };
            }

            await CheckParityAsync(session, table, keys, cancellationToken);
            return;
        }

        var watermark = ReadWatermark(state, cursor, existing is not null);
        if (!_watermarkBeforeKnown)
        {
            _watermarkBefore = state.Watermark;
            _watermarkBeforeKnown = true;
        }

        var sourceColumns = table.Columns.Select(c => new ColumnSpec(c.Name, c.Type)).ToList();
        ColumnSpec[] system = [new(RawTables.SyncedAt, ColumnType.TimestampTz), new(RawTables.DeletedAt, ColumnType.TimestampTz)];
        var plan = SchemaPlan.Create(_raw, sourceColumns, system, options.FullRefresh ? null : existing, warehouse.Dialect);
        foreach (var dropped in plan.Dropped)
        {
            Warn($"{_raw}: column '{dropped}' is no longer in the source table {table.QualifiedName}; it is kept and new rows leave it NULL.");
        }

        if (definition.IsIncremental && !options.FullRefresh)
        {
            _mode = watermark is null ? "initial" : "incremental";
            var reconcile = existing is not null && (options.Reconcile || definition.ReconcileEvery is { } every && (state.Syncs + 1) % every == 0);
            await MergeBatchesAsync(session, table, keys, cursor!, watermark, plan, existing is null, state, !reconcile, cancellationToken);
            if (reconcile)
            {
                await ReconcileAsync(session, table, keys, cursor!, state, cancellationToken);
            }
        }
        else
        {
            await ReplaceAsync(session, table, keys, cursor, plan, state, cancellationToken);
        }

        if (definition.Parity || options.Repair)
        {
            await CheckParityAsync(session, table, keys, cancellationToken);
        }

        if (options.Repair && _parity is { Matches: false } report)
        {
            if (keys.Count == 0)
            {
                Warn($"{definition.Location}: {table.QualifiedName} has no primary key, so its mismatched rows cannot be repaired by key; run `sluice sync --table {definition.Name} --full-refresh`.");
                return;
            }

            await RepairAsync(session, table, keys, plan, report, cancellationToken);
            await CheckParityAsync(session, table, keys, cancellationToken);
        }
    }

    private async Task CheckParityAsync(IWarehouseSession session, SourceTable table, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        _parity = await ParityCheck.RunAsync(session, source, definition, table, keys, _raw, cancellationToken);
        await ParityStore.WriteAsync(session, _parity, cancellationToken);
        observer.ParityChecked(_parity);
    }

    /// <summary>
    /// Re-reads the rows of the days that differ (or of the whole table when no day does, or the
    /// table has no date column), merges them by key and marks the raw rows of those days that the
    /// source no longer holds, in one transaction. The watermark is left alone: rows read here are
    /// merged again harmlessly by the next incremental sync.
    /// </summary>
    private async Task RepairAsync(IWarehouseSession session, SourceTable table, IReadOnlyList<string> keys, SchemaPlan plan, ParityReport report, CancellationToken cancellationToken)
    {
        _mode = "repair";
        var (readBefore, upsertedBefore, deletedBefore) = (_rowsRead, _rowsUpserted, _rowsDeleted);
        var days = report.DateColumn is null ? [] : report.MismatchedDays.Select(d => d.Day!.Value).ToList();
        string? sourceScope = null, warehouseScope = null;
        if (days.Count > 0)
        {
            var kind = table.Column(report.DateColumn!)!.Type.Kind;
            var list = string.Join(", ", days.Select(d => $"date '{d:yyyy-MM-dd}'"));
            sourceScope = $"{ParityCheck.DayOf(PostgresDialect.Instance, PostgresTypes.Quote(report.DateColumn!), kind)} in ({list})";
            warehouseScope = $"{ParityCheck.DayOf(warehouse.Dialect, warehouse.Dialect.Quote(report.DateColumn!), kind)} in ({list})";
        }

        observer.Warning(days.Count > 0
            ? $"{_raw}: repairing {days.Count} day(s) that differ from the source: {string.Join(", ", days.Take(10).Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}{(days.Count > 10 ? ", …" : "")}."
            : $"{_raw}: the totals differ from the source; re-reading the whole table and merging it by key.");
        await using var copy = await CopyRows.StartAsync(source, table, sourceScope, null, 2, cancellationToken);
        var (rowColumns, stagingColumns) = RowLayout(table, plan);
        var staging = RawTables.StagingFor(_raw);
        var batches = new CursorBatches(copy, -1, int.MaxValue, RowCompleter(table, copy));
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        await MergeThroughStagingAsync(session, table, keys, stagingColumns, rowColumns, batches.NextAsync(cancellationToken), keepStaging: true, cancellationToken);
        _rowsDeleted += await DeleteReconciliation.MarkMissingAsync(session, _raw, staging, keys, warehouseScope, cancellationToken);
        await session.DropTableAsync(staging, cancellationToken);
        await SyncStateStore.WriteRunAsync(session, Run("success", DateTime.UtcNow, null) with
        {
            RunId = Guid.NewGuid().ToString("N"),
            RowsRead = _rowsRead - readBefore,
            RowsUpserted = _rowsUpserted - upsertedBefore,
            RowsDeleted = _rowsDeleted - deletedBefore,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The incremental path: batches ordered by cursor, each merged and committed with its watermark.</summary>
    private async Task MergeBatchesAsync(
        IWarehouseSession session,
        SourceTable table,
        IReadOnlyList<string> keys,
        SourceColumn cursor,
        object? watermark,
        SchemaPlan plan,
        bool create,
        SyncState state,
        bool finishes,
        CancellationToken cancellationToken)
    {
        var where = watermark is null ? null : $"{PostgresTypes.Quote(cursor.Name)} > {CursorValues.SqlLowerBound(watermark, cursor.Type, definition.Lookback)}";
        await using var copy = await CopyRows.StartAsync(source, table, where, PostgresTypes.Quote(cursor.Name), 2, cancellationToken);
        var cursorIndex = IndexOf(table, cursor.Name);
        var batches = new CursorBatches(copy, cursorIndex, definition.BatchSize, RowCompleter(table, copy));
        var (rowColumns, stagingColumns) = RowLayout(table, plan);

        // A first load into a new table from one COPY snapshot, keyed by the source's own primary
        // key, cannot meet a key twice: its rows go straight into the raw table, unstaged.
        var direct = create && watermark is null && keys.Order().SequenceEqual(table.PrimaryKey.Order());

        // The lookback reads again rows the raw table already holds as they are; leaving those
        // alone keeps their _sluice_synced_at, so models see only rows that really changed.
        var rereads = watermark is not null && definition.Lookback is not null;
        var first = true;
        var current = watermark;
        do
        {
            await using var transaction = await session.BeginTransactionAsync(cancellationToken);
            if (first)
            {
                await PrepareRawTableAsync(session, plan, create, keys, cancellationToken);
            }

            long loaded;
            if (direct)
            {
                loaded = await session.BulkLoadAsync(_raw, rowColumns, batches.NextAsync(cancellationToken), cancellationToken);
                _rowsUpserted += loaded;
            }
            else
            {
                loaded = await MergeThroughStagingAsync(session, table, keys, stagingColumns, rowColumns, batches.NextAsync(cancellationToken), keepStaging: false, cancellationToken, skipUnchanged: rereads);
            }

            if (batches.MaxCursor is { } max && (current is null || CursorValues.Compare(max, current) > 0))
            {
                current = max;
            }

            _watermarkAfter = current is null ? state.Watermark : CursorValues.Format(current);
            var done = batches.Exhausted || loaded == 0;
            var finished = done && finishes;
            var run = Run(finished ? "success" : "running", finished ? DateTime.UtcNow : null, null);
            await SyncStateStore.WriteAsync(session, _sourceName, definition.Name, state with { CursorColumn = cursor.Name, Watermark = _watermarkAfter, Syncs = state.Syncs + (finished ? 1 : 0) }, cancellationToken);
            await SyncStateStore.WriteRunAsync(session, run, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            observer.BatchCommitted(_sourceName, definition.Name, _rowsUpserted, _watermarkAfter);
            first = false;
            if (done)
            {
                break;
            }
        }
        while (true);
    }

    /// <summary>
    /// Marks rows deleted in the source, and finishes the run: the marks, the sync count, the
    /// reconcile time and the run's row commit together.
    /// </summary>
    private async Task ReconcileAsync(IWarehouseSession session, SourceTable table, IReadOnlyList<string> keys, SourceColumn cursor, SyncState state, CancellationToken cancellationToken)
    {
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        var deleted = await DeleteReconciliation.RunAsync(session, source, table, _raw, keys, cancellationToken);
        _rowsDeleted += deleted;
        var now = DateTime.UtcNow;
        await SyncStateStore.WriteAsync(
            session,
            _sourceName,
            definition.Name,
            state with { CursorColumn = cursor.Name, Watermark = _watermarkAfter, Syncs = state.Syncs + 1, LastReconciledAt = now },
            cancellationToken);
        await SyncStateStore.WriteRunAsync(session, Run("success", now, null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        observer.Reconciled(_sourceName, definition.Name, deleted);
    }

    /// <summary>The full path: every row into a new table that replaces the raw table in one transaction.</summary>
    private async Task ReplaceAsync(
        IWarehouseSession session,
        SourceTable table,
        IReadOnlyList<string> keys,
        SourceColumn? cursor,
        SchemaPlan plan,
        SyncState state,
        CancellationToken cancellationToken)
    {
        await using var copy = await CopyRows.StartAsync(source, table, null, null, 2, cancellationToken);
        var cursorIndex = cursor is null ? -1 : IndexOf(table, cursor.Name);
        var complete = RowCompleter(table, copy);

        // The new table keeps the raw table's column order (retired columns stay NULL); rows
        // arrive in the source's order followed by Sluice's two columns.
        var rowColumns = RowLayout(table, plan).Names;
        var positions = plan.Columns.Select(c => rowColumns.IndexOf(c.Name)).ToArray();
        var identity = positions.Select((p, i) => p == i).All(x => x) && positions.Length == rowColumns.Count;
        var batches = new CursorBatches(copy, cursorIndex, int.MaxValue, complete);
        await session.CreateSchemaAsync(RawTables.Schema, cancellationToken);
        _rowsUpserted += await session.ReplaceTableAsync(
            _raw,
            plan.Columns,
            identity ? batches.NextAsync(cancellationToken) : Reorder(batches.NextAsync(cancellationToken), positions),
            async (s, token) =>
            {
                if (keys.Count > 0)
                {
                    await s.EnsureKeyIndexAsync(_raw, keys, token);
                }

                var watermark = batches.MaxCursor is { } max ? CursorValues.Format(max) : null;
                _watermarkAfter = watermark;
                await SyncStateStore.MarkInterruptedAsync(s, _sourceName, definition.Name, token);
                await SyncStateStore.WriteAsync(s, _sourceName, definition.Name, state with { CursorColumn = cursor?.Name, Watermark = watermark, Syncs = state.Syncs + 1 }, token);
                await SyncStateStore.WriteRunAsync(s, Run("success", DateTime.UtcNow, null), token);
            },
            cancellationToken);
    }

    private async Task PrepareRawTableAsync(IWarehouseSession session, SchemaPlan plan, bool create, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await SyncStateStore.MarkInterruptedAsync(session, _sourceName, definition.Name, cancellationToken);
        if (create)
        {
            await session.CreateSchemaAsync(RawTables.Schema, cancellationToken);
            await session.CreateTableAsync(_raw, plan.Columns, cancellationToken);
        }
        else
        {
            foreach (var column in plan.Added)
            {
                await session.AddColumnAsync(_raw, column, cancellationToken);
                Warn($"{_raw}: added column '{column.Name}' ({column.Type}), new in the source.");
            }

            foreach (var column in plan.Widened)
            {
                await session.AlterColumnTypeAsync(_raw, column.Name, column.Type, cancellationToken);
                Warn($"{_raw}: widened column '{column.Name}' to {column.Type} to follow the source.");
            }
        }

        await session.EnsureKeyIndexAsync(_raw, keys, cancellationToken);
    }

    /// <summary>Rows carry the source's columns and then Sluice's two; the staging table has the raw table's types for them.</summary>
    private static (List<string> Names, List<ColumnSpec> Specs) RowLayout(SourceTable table, SchemaPlan plan)
    {
        var names = table.Columns.Select(c => c.Name).Append(RawTables.SyncedAt).Append(RawTables.DeletedAt).ToList();
        return (names, names.Select(name => plan.Columns.First(c => c.Name == name)).ToList());
    }

    /// <summary>
    /// Loads rows into the staging table through the bulk path, checks their keys and merges them
    /// into the raw table by key, inside the caller's transaction; returns the rows loaded.
    /// </summary>
    private async Task<long> MergeThroughStagingAsync(
        IWarehouseSession session,
        SourceTable table,
        IReadOnlyList<string> keys,
        IReadOnlyList<ColumnSpec> stagingColumns,
        IReadOnlyList<string> rowColumns,
        IAsyncEnumerable<object?[]> rows,
        bool keepStaging,
        CancellationToken cancellationToken,
        bool skipUnchanged = false)
    {
        var staging = RawTables.StagingFor(_raw);
        await session.DropTableAsync(staging, cancellationToken);
        await session.CreateScratchTableAsync(staging, stagingColumns, cancellationToken);
        var loaded = await session.BulkLoadAsync(staging, rowColumns, rows, cancellationToken);
        if (loaded > 0)
        {
            await RequireUniqueKeysAsync(session, staging, keys, table, cancellationToken);
            if (skipUnchanged)
            {
                await DropUnchangedAsync(session, staging, keys, rowColumns, cancellationToken);
            }

            _rowsUpserted += await session.UpsertAsync(_raw, staging, keys, rowColumns, cancellationToken);
        }

        if (!keepStaging)
        {
            await session.DropTableAsync(staging, cancellationToken);
        }

        return loaded;
    }

    // Staged rows equal, column for column, to the live raw row of their key.
    private async Task DropUnchangedAsync(IWarehouseSession session, TableName staging, IReadOnlyList<string> keys, IReadOnlyList<string> rowColumns, CancellationToken cancellationToken)
    {
        var q = warehouse.Dialect;
        var same = rowColumns.Where(c => c != RawTables.SyncedAt && c != RawTables.DeletedAt && !keys.Contains(c)).ToList();
        await session.ExecuteAsync(
            $"delete from {q.Quote(staging)} where {q.Quote(RawTables.DeletedAt)} is null and {q.SameRowPresent(q.Quote(staging), q.Quote(_raw), keys, same, RawTables.DeletedAt)}",
            null,
            cancellationToken);
    }

    private async Task RequireUniqueKeysAsync(IWarehouseSession session, TableName staging, IReadOnlyList<string> keys, SourceTable table, CancellationToken cancellationToken)
    {
        var q = warehouse.Dialect;
        var list = string.Join(", ", keys.Select(q.Quote));
        var nulls = await session.ScalarAsync($"select count(*) from {q.Quote(staging)} where {string.Join(" or ", keys.Select(k => $"{q.Quote(k)} is null"))}", null, cancellationToken);
        if (Convert.ToInt64(nulls, System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            throw new SourceException($"{definition.Location}: {table.QualifiedName} has rows whose primary key ({list}) is NULL; choose key columns that are never NULL.") { IsUserFault = true };
        }

        await using var reader = await session.QueryAsync($"select {list} from {q.Quote(staging)} group by {list} having count(*) > 1 limit 1", null, cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            var values = string.Join(", ", Enumerable.Range(0, keys.Count).Select(i => reader.GetValue(i)));
            throw new SourceException(
                $"{definition.Location}: the primary key ({list}) of {table.QualifiedName} is not unique: more than one row has ({values}); choose columns that identify a row.")
            {
                IsUserFault = true,
            };
        }
    }

    private Action<object?[]> RowCompleter(SourceTable table, CopyRows copy)
    {
        var syncedAt = DateTime.UtcNow;
        var count = table.Columns.Count;
        var softDelete = definition.SoftDeleteColumn is null ? -1 : IndexOf(table, definition.SoftDeleteColumn);
        return row =>
        {
            row[count] = syncedAt;
            row[count + 1] = softDelete < 0 ? null : DeletedAt(row[softDelete], syncedAt);
            if (++_rowsRead % ProgressEvery == 0)
            {
                observer.Progress(_sourceName, definition.Name, _rowsRead);
            }

            _bytes = copy.Bytes;
        };
    }

    // A soft-delete column is either the time of deletion or a flag.
    private static DateTime? DeletedAt(object? value, DateTime syncedAt) => value switch
    {
        null => null,
        bool flag => flag ? syncedAt : null,
        DateTime { Kind: DateTimeKind.Utc } t => t,
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        _ => syncedAt,
    };

    private void CheckCursor(SourceTable table, SourceColumn cursor)
    {
        if (!PostgresTypes.IsOrderable(cursor.Type))
        {
            throw new SourceException(
                $"{definition.Location}: cursor column '{cursor.Name}' of {table.QualifiedName} has type {cursor.SourceType}, which cannot order changes; use a timestamp, date or integer column that grows when a row changes.")
            {
                IsUserFault = true,
            };
        }

        var timeCursor = cursor.Type.Kind is ColumnKind.Date or ColumnKind.Timestamp or ColumnKind.TimestampTz;
        if (definition.Lookback.Duration is not null && !timeCursor || definition.Lookback.Amount is not null && timeCursor)
        {
            throw new SourceException(
                $"{definition.Location}: lookback '{definition.Lookback}' does not fit cursor '{cursor.Name}' ({cursor.SourceType}); use a duration such as 10m for date and time cursors and a number for integer cursors.")
            {
                IsUserFault = true,
            };
        }
    }

    private object? ReadWatermark(SyncState state, SourceColumn? cursor, bool rawExists)
    {
        if (cursor is null || state.Watermark is null || options.FullRefresh)
        {
            return null;
        }

        if (!rawExists)
        {
            Warn($"{_raw} is missing although a watermark is recorded; it is loaded again from the start.");
            return null;
        }

        if (state.CursorColumn != cursor.Name || !CursorValues.TryParse(state.Watermark, cursor.Type, out var value))
        {
            Warn($"{_raw}: the cursor changed from '{state.CursorColumn}' to '{cursor.Name}'; every row is read again once and merged by key.");
            return null;
        }

        return value;
    }

    private SyncRunRecord Run(string status, DateTime? completedAt, string? error) => new(
        _runId, _sourceName, definition.Name, _mode, status, _startedAt, completedAt, _rowsRead, _rowsUpserted, _rowsDeleted, _bytes, _watermarkBefore, _watermarkAfter, error);

    private TableSyncResult Result(SyncStatus status, TimeSpan elapsed) => new(
        _sourceName, definition.Name, _mode, status, _rowsRead, _rowsUpserted, _rowsDeleted, _bytes, _watermarkBefore, _watermarkAfter, elapsed);

    private void Warn(string message)
    {
        if (_warned.Add(message))
        {
            observer.Warning(message);
        }
    }

    private static int IndexOf(SourceTable table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (table.Columns[i].Name == column)
            {
                return i;
            }
        }

        return -1;
    }

    private static async IAsyncEnumerable<object?[]> Reorder(IAsyncEnumerable<object?[]> rows, int[] positions)
    {
        await foreach (var row in rows)
        {
            var reordered = new object?[positions.Length];
            for (var i = 0; i < positions.Length; i++)
            {
                reordered[i] = positions[i] < 0 ? null : row[positions[i]];
            }

            yield return reordered;
        }
    }
}

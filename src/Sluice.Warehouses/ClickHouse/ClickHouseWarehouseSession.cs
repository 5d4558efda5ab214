using System.Data.Common;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Common;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// A session on the ClickHouse warehouse: requests over the warehouse's pooled connections, in a
/// server-side HTTP session once a <c>SET</c> has been run (so that it lasts). ClickHouse has no transactions: a "transaction"
/// here only marks a span of work, each statement takes effect when it runs, and the table
/// swap and partition replace are built so that a crash at any point leaves either the old rows
/// or the new ones, and running the same work again converges.
/// </summary>
internal sealed class ClickHouseWarehouseSession(ClickHouseWarehouse warehouse) : WarehouseSession
{
    /// <summary>Suffix of the table a swapped-out table waits under until it is dropped.</summary>
    private const string RetiredSuffix = "__sluice_old";

    /// <summary>Suffix of the table a partition's new rows are gathered in.</summary>
    private const string PartitionSuffix = "__sluice_part";

    private static readonly TimeSpan MutationTimeout = TimeSpan.FromMinutes(10);

    private static readonly IReadOnlyDictionary<string, string> OneBlock = new Dictionary<string, string> { ["max_insert_block_size"] = "1099511627776" };

    // A server-side session only once a SET needs one: the server serves one request per session
    // at a time, and a request the client gave up on may hold it a while longer.
    private string? _sessionId;
    private bool _inTransaction;
    private bool _reading;

    public override IWarehouse Warehouse => warehouse;

    public override bool InTransaction => _inTransaction;

    private static ClickHouseDialect ClickHouse => ClickHouseDialect.Instance;

    public override async Task<string> GetEngineVersionAsync(CancellationToken cancellationToken = default) =>
        $"ClickHouse {await ScalarAsync("select version()", null, cancellationToken)}";

    public override async Task<int> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        var changed = -1;
        foreach (var statement in ClickHouseSql.Statements(sql))
        {
            var bound = ClickHouseSql.Bind(ClickHouseSql.Translate(statement), parameters);
            if (ClickHouseMutation.Parse(bound) is { } mutation)
            {
                changed = await MutateAsync(mutation, cancellationToken);
            }
            else
            {
                RequireNoOpenReader();
                if (warehouse.ClusterStatements is { } cluster && await cluster.TryRunAsync(bound, cancellationToken))
                {
                    changed = -1;
                    continue;
                }

                if (bound.StartsWith("set ", StringComparison.OrdinalIgnoreCase))
                {
                    _sessionId ??= Guid.NewGuid().ToString("N");
                }

                await warehouse.Http.RunAsync(bound, _sessionId, cancellationToken: cancellationToken);
                changed = -1;
            }
        }

        return changed;
    }

    public override async Task<DbDataReader> QueryAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        var statements = ClickHouseSql.Statements(sql);
        if (statements.Count != 1)
        {
            throw new ArgumentException($"A query must be one statement; got {statements.Count}.", nameof(sql));
        }

        RequireNoOpenReader();
        var zone = await warehouse.ServerTimeZoneAsync(cancellationToken);
        var query = ClickHouseSql.Bind(ClickHouseSql.Translate(statements[0]), parameters);
        if (warehouse.ClusterStatements is { } cluster)
        {
            query = await cluster.ForQueryAsync(query, cancellationToken);
        }

        var response = await warehouse.Http.SendAsync(query, _sessionId, cancellationToken: cancellationToken);
        _reading = true;
        try
        {
            // The reader owns the reply from here and clears _reading when it closes, failed or not.
            return await TabSeparatedReader.OpenAsync(response, () => _reading = false, zone, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw ClickHouseErrors.FromConnection(e, warehouse.DisplayLocation, "reading a result");
        }
    }

    public override Task<IWarehouseTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        if (_inTransaction)
        {
            throw new InvalidOperationException("A transaction is already open on this session.");
        }

        _inTransaction = true;
        return Task.FromResult<IWarehouseTransaction>(new ClickHouseWarehouseTransaction(() => _inTransaction = false));
    }

    public override async Task<long> BulkLoadAsync(TableName table, IReadOnlyList<string> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var described = await DescribeRawAsync(table, cancellationToken)
            ?? throw new WarehouseException($"Cannot load rows into {table}: the table does not exist.");
        var types = new (string Name, string Type)[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var name = columns[i];
            types[i] = (name, described.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).Type
                ?? throw new WarehouseException($"Cannot load rows into {table}: it has no column '{name}'."));
        }

        var encoder = new RowBinaryContent(table.ToString(), types);
        using var content = await encoder.SpoolAsync(rows, warehouse.Http.CompressBodies, cancellationToken);
        RequireNoOpenReader();

        // One block for the whole load: the server writes nothing until the body is complete, so
        // a load that fails halfway keeps none of its rows. The server holds that block in memory,
        // so a large load goes to a scratch table in ordinary blocks and its parts are attached to
        // the table a partition at a time, each whole (an unpartitioned table has one). On a
        // cluster the load goes through the Distributed table, one block.
        if (encoder.Bytes <= warehouse.OneBlockLoadBytes || warehouse.Cluster is not null)
        {
            await InsertAsync(table, columns, content, OneBlock, table, cancellationToken);
            return encoder.Rows;
        }

        var scratch = ClickHouseCluster.Beside(table, $"__sluice_load_{Guid.NewGuid().ToString("N")[..8]}");
        await ExecuteAsync($"create table {Dialect.Quote(scratch)} as {Dialect.Quote(table)}", null, cancellationToken);
        try
        {
            // Blocks of about the one-block limit's size, whatever the width of a row.
            var rowsPerBlock = Math.Max(1_000, encoder.Rows * warehouse.OneBlockLoadBytes / Math.Max(1, encoder.Bytes));
            var blocks = new Dictionary<string, string> { ["max_insert_block_size"] = rowsPerBlock.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            await InsertAsync(scratch, columns, content, blocks, table, cancellationToken);
            foreach (var partition in await ReadStringsAsync($"select distinct _partition_id from {Dialect.Quote(scratch)}", [], cancellationToken))
            {
                await ExecuteAsync($"alter table {Dialect.Quote(table)} attach partition id '{partition.Replace("'", "\\'", StringComparison.Ordinal)}' from {Dialect.Quote(scratch)}", null, cancellationToken);
            }
        }
        finally
        {
            await DropTableAsync(scratch, CancellationToken.None);
        }

        return encoder.Rows;
    }

    // Not in the session: a broken load would keep it busy while the server gives up on the body.
    private async Task InsertAsync(TableName into, IReadOnlyList<string> columns, HttpContent content, IReadOnlyDictionary<string, string>? settings, TableName loading, CancellationToken cancellationToken)
    {
        var insert = $"insert into {Dialect.Quote(into)} ({string.Join(", ", columns.Select(Dialect.Quote))}) format RowBinary";
        using var response = await warehouse.Http.SendAsync(insert, null, content, settings, doing: $"loading rows into {loading}", cancellationToken: cancellationToken);
        try
        {
            await response.Content.CopyToAsync(Stream.Null, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw ClickHouseErrors.FromConnection(e, warehouse.DisplayLocation, $"loading rows into {loading}");
        }
    }

    public override async Task<IReadOnlyList<string>> ListSchemasAsync(CancellationToken cancellationToken = default) =>
        await ReadStringsAsync("select name from system.databases where name not in ('system') order by name", [], cancellationToken);

    public override async Task<IReadOnlyList<TableName>> ListTablesAsync(string schema, CancellationToken cancellationToken = default)
    {
        var names = await ReadStringsAsync(
            "select name from system.tables where database = $1 and engine not like '%View' order by name",
            [Identifier.Validate(schema, "schema")],
            cancellationToken);
        return names.Where(n => Identifier.IsValid(n) && (warehouse.Cluster is null || !ClickHouseCluster.IsOwn(n))).Select(n => new TableName(schema, n)).ToList();
    }

    public override async Task<TableInfo?> DescribeTableAsync(TableName table, CancellationToken cancellationToken = default)
    {
        var columns = await DescribeRawAsync(table, cancellationToken);
        return columns is null
            ? null
            : new TableInfo(table, [.. columns.Select(c => new ColumnSpec(c.Name, ClickHouseDialect.ParseType(c.Type, c.Comment), c.Type.StartsWith("Nullable(", StringComparison.Ordinal)))]);
    }

    public override Task CreateSchemaAsync(string schema, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"create database if not exists {Dialect.Quote(Identifier.Validate(schema, "schema"))}", null, cancellationToken);

    public override Task CreateTableAsync(TableName table, IReadOnlyList<ColumnSpec> columns, CancellationToken cancellationToken = default) =>
        ExecuteAsync(CreateTableSql(table, columns), null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>On a cluster a scratch table is sharded even among Sluice's state, since a mutation on every shard may read it.</remarks>
    public override Task CreateScratchTableAsync(TableName table, IReadOnlyList<ColumnSpec> columns, CancellationToken cancellationToken = default) =>
        warehouse.ClusterStatements is { } cluster
            ? cluster.CreateShardedAsync(CreateTableSql(table, columns), cancellationToken)
            : CreateTableAsync(table, columns, cancellationToken);

    private string CreateTableSql(TableName table, IReadOnlyList<ColumnSpec> columns)
    {
        if (columns.Count == 0)
        {
            throw new ArgumentException($"Table {table} needs at least one column.", nameof(columns));
        }

        // Without a declared sort key the rows are kept in arrival order; ORDER BY tuple() says so.
        return $"create table {Dialect.Quote(table)} ({string.Join(", ", columns.Select(ClickHouse.ColumnDefinition))}) engine = MergeTree() order by tuple()";
    }

    public override Task AddColumnAsync(TableName table, ColumnSpec column, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"alter table {Dialect.Quote(table)} add column {ClickHouse.ColumnDefinition(new ColumnSpec(column.Name, column.Type))}", null, cancellationToken);

    public override async Task AlterColumnTypeAsync(TableName table, string column, ColumnType type, CancellationToken cancellationToken = default)
    {
        var current = (await DescribeTableAsync(table, cancellationToken))?.Columns
            .FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase))
            ?? throw new WarehouseException($"Cannot change the type of {table}.{column}: there is no such column.");
        var definition = ClickHouse.ColumnDefinition(new ColumnSpec(Identifier.Validate(column, "column"), type, current.Nullable));
        await ExecuteAsync($"alter table {Dialect.Quote(table)} modify column {definition}", null, cancellationToken);
    }

    public override async Task<long> UpsertAsync(TableName target, TableName staging, IReadOnlyList<string> keyColumns, IReadOnlyList<string> columns, CancellationToken cancellationToken = default)
    {
        if (keyColumns.Count == 0)
        {
            throw new ArgumentException($"Merging into {target} needs at least one key column.", nameof(keyColumns));
        }

        // The rows being replaced are deleted by a mutation, then the staged rows are inserted:
        // a reader between the two misses them, and a crash between them leaves them missing
        // until the merge runs again, which the caller's state (written after) makes it do.
        var keys = string.Join(", ", keyColumns.Select(Dialect.Quote));
        await MutateAsync(new ClickHouseMutation(Dialect.Quote(target), "delete", $"({keys}) in (select {keys} from {Dialect.Quote(staging)})"), cancellationToken);
        var list = string.Join(", ", columns.Select(Dialect.Quote));
        await ExecuteAsync($"insert into {Dialect.Quote(target)} ({list}) select {list} from {Dialect.Quote(staging)}", null, cancellationToken);
        return Convert.ToInt64(await ScalarAsync($"select count() from {Dialect.Quote(staging)}", null, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The new table is built under another name and swapped in with one RENAME of both tables,
    /// which ClickHouse does atomically. Then <paramref name="alsoInTransaction"/> runs; if it
    /// fails, the swap is renamed back. A crash after the swap leaves the retired table, which
    /// the next replace drops.
    /// </remarks>
    public override async Task<long> ReplaceTableAsync(
        TableName table,
        IReadOnlyList<ColumnSpec> columns,
        IAsyncEnumerable<object?[]> rows,
        Func<IWarehouseSession, CancellationToken, Task>? alsoInTransaction = null,
        CancellationToken cancellationToken = default)
    {
        RequireNoTransaction(nameof(ReplaceTableAsync));
        var building = table.WithSuffix(BuildSuffix);
        var retired = table.WithSuffix(RetiredSuffix);
        await DropTableAsync(building, cancellationToken);
        await DropTableAsync(retired, cancellationToken);
        await CreateTableAsync(building, columns, cancellationToken);
        long loaded;
        try
        {
            loaded = await BulkLoadAsync(building, columns.Select(c => c.Name).ToList(), rows, cancellationToken);
        }
        catch
        {
            await DropTableAsync(building, CancellationToken.None);
            throw;
        }

        var existed = await DescribeRawAsync(table, cancellationToken) is not null;
        await ExecuteAsync(
            existed
                ? $"rename table {Dialect.Quote(table)} to {Dialect.Quote(retired)}, {Dialect.Quote(building)} to {Dialect.Quote(table)}"
                : $"rename table {Dialect.Quote(building)} to {Dialect.Quote(table)}",
            null,
            cancellationToken);
        if (alsoInTransaction is not null)
        {
            try
            {
                await alsoInTransaction(this, cancellationToken);
            }
            catch
            {
                await ExecuteAsync(
                    existed
                        ? $"rename table {Dialect.Quote(table)} to {Dialect.Quote(building)}, {Dialect.Quote(retired)} to {Dialect.Quote(table)}"
                        : $"rename table {Dialect.Quote(table)} to {Dialect.Quote(building)}",
                    null,
                    CancellationToken.None);
                await DropTableAsync(building, CancellationToken.None);
                throw;
            }
        }

        await DropTableAsync(retired, cancellationToken);
        return loaded;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The new rows, with the rows of the same table partitions that lie outside the range, are
    /// gathered in a scratch table of the same structure; then each partition the range touches
    /// is swapped in whole with <c>REPLACE PARTITION</c> (atomic per partition) or dropped when
    /// nothing is left of it. Running it again gives the same partitions, so a crash at any point
    /// converges on the next run; <paramref name="alsoInTransaction"/> runs after the data.
    /// </remarks>
    public override async Task<long> ReplacePartitionAsync(
        TableName table,
        PartitionRange range,
        IReadOnlyList<string> columns,
        IAsyncEnumerable<object?[]> rows,
        Func<IWarehouseSession, CancellationToken, Task>? alsoInTransaction = null,
        CancellationToken cancellationToken = default)
    {
        RequireNoTransaction(nameof(ReplacePartitionAsync));
        var (kind, from, to) = await PartitionBoundsAsync(table, range, cancellationToken);
        // A name of this replace's own: two replaces of one table must not share their rows.
        var scratch = ClickHouseCluster.Beside(table, $"{PartitionSuffix}_{Guid.NewGuid().ToString("N")[..8]}");
        await DropTableAsync(scratch, cancellationToken);
        await ExecuteAsync($"create table {Dialect.Quote(scratch)} as {Dialect.Quote(table)}", null, cancellationToken);
        try
        {
            var loaded = await BulkLoadAsync(scratch, columns, WithinRange(rows, columns, range, from, to, kind), cancellationToken);
            var column = Dialect.Quote(range.Column);
            var inRange = $"{column} >= {ClickHouseSql.Literal(from)} and {column} < {ClickHouseSql.Literal(to)}";

            // A row whose partition column is NULL is outside every range and stays.
            var outside = $"{column} is null or not ({inRange})";
            // On a cluster each server's share is replaced in its shard-local tables; the scratch
            // table's rows were spread over the shards as the table's were.
            var sharded = warehouse.ClusterStatements is { } cluster && await cluster.IsShardedAsync(table, cancellationToken);
            var places = sharded
                ? warehouse.Cluster!.Nodes.Select(n => (Node: n, Table: ClickHouseCluster.Local(table), Scratch: ClickHouseCluster.Local(scratch))).ToList()
                : [(Node: warehouse.Http, Table: table, Scratch: scratch)];
            var partitionKey = (await ClickHouseCluster.ReadAsync(
                places[0].Node,
                $"select partition_key from system.tables where database = {ClickHouseSql.Quote(places[0].Table.Schema)} and name = {ClickHouseSql.Quote(places[0].Table.Name)}",
                cancellationToken))[0][0];

            // Rows of the touched partitions that are outside the range stay as they are; a table
            // without a partition key is one partition.
            var samepartitions = string.IsNullOrWhiteSpace(partitionKey)
                ? string.Empty
                : $" and ({partitionKey}) in (select {partitionKey} from {Dialect.Quote(table)} where {inRange} union all select {partitionKey} from {Dialect.Quote(scratch)})";
            await ExecuteAsync(
                $"insert into {Dialect.Quote(scratch)} select * from {Dialect.Quote(table)} where ({outside}){samepartitions}",
                null,
                cancellationToken);
            foreach (var (node, here, scratchHere) in places)
            {
                var touched = (await ClickHouseCluster.ReadAsync(node, $"select distinct _part from {Dialect.Quote(here)} where {inRange}", cancellationToken)).Select(r => r[0]).ToList();
                var partitions = await PartitionIdsAsync(node, scratchHere, null, cancellationToken);
                var emptied = touched.Count == 0 ? [] : await PartitionIdsAsync(node, here, touched, cancellationToken);
                foreach (var partition in partitions)
                {
                    await node.RunAsync($"alter table {Dialect.Quote(here)} replace partition id {ClickHouseSql.Quote(partition)} from {Dialect.Quote(scratchHere)}", null, cancellationToken: cancellationToken);
                }

                foreach (var partition in emptied.Except(partitions))
                {
                    await node.RunAsync($"alter table {Dialect.Quote(here)} drop partition id {ClickHouseSql.Quote(partition)}", null, cancellationToken: cancellationToken);
                }
            }

            if (alsoInTransaction is not null)
            {
                await alsoInTransaction(this, cancellationToken);
            }

            return loaded;
        }
        finally
        {
            await DropTableAsync(scratch, CancellationToken.None);
        }
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The ids of a table's active partitions on one server, only those of the parts <paramref name="parts"/> when given.</summary>
    private static async Task<IReadOnlyList<string>> PartitionIdsAsync(ClickHouseHttp node, TableName table, IReadOnlyList<string>? parts, CancellationToken cancellationToken)
    {
        var ofParts = parts is null ? string.Empty : $" and name in ({string.Join(", ", parts.Select(ClickHouseSql.Quote))})";
        return (await ClickHouseCluster.ReadAsync(
            node,
            $"select distinct partition_id from system.parts where database = {ClickHouseSql.Quote(table.Schema)} and table = {ClickHouseSql.Quote(table.Name)} and active{ofParts} order by partition_id",
            cancellationToken)).Select(r => r[0]).ToList();
    }

    /// <summary>Runs a mutation, waits for the server (each server of a cluster) to finish it, and returns the rows it changed.</summary>
    private async Task<int> MutateAsync(ClickHouseMutation mutation, CancellationToken cancellationToken)
    {
        // IWarehouseSession counts changed rows in an int; a mutation of more says int.MaxValue.
        var changed = (int)Math.Min(int.MaxValue, Convert.ToInt64(await ScalarAsync(mutation.CountSql, null, cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
        if (changed == 0)
        {
            return 0;
        }

        var (database, name) = mutation.Names();
        var table = new TableName(database ?? warehouse.DefaultDatabase, name);
        if (warehouse.ClusterStatements is { } cluster
            && await cluster.TryMutateAsync(table, mutation.Command, mutation.Where, (node, local) => WaitForMutationsAsync(node, local, mutation, cancellationToken), cancellationToken))
        {
            return changed;
        }

        await warehouse.Http.RunAsync(mutation.AlterSql, _sessionId, cancellationToken: cancellationToken);
        await WaitForMutationsAsync(warehouse.Http, table, mutation, cancellationToken);
        return changed;
    }

    private async Task WaitForMutationsAsync(ClickHouseHttp node, TableName table, ClickHouseMutation mutation, CancellationToken cancellationToken)
    {
        var started = warehouse.TimeProvider.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(5);
        var pending = $"select count() from system.mutations where database = {ClickHouseSql.Quote(table.Schema)} and table = {ClickHouseSql.Quote(table.Name)} and is_done = 0";
        while ((await ClickHouseCluster.ReadAsync(node, pending, cancellationToken))[0][0] != "0")
        {
            if (warehouse.TimeProvider.GetElapsedTime(started) > MutationTimeout)
            {
                throw new WarehouseException($"ClickHouse has not finished `{mutation.AlterSql}` after {MutationTimeout.TotalMinutes} minutes; see system.mutations on the server.");
            }

            await Task.Delay(delay, warehouse.TimeProvider, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    private async Task<IReadOnlyList<(string Name, string Type, string Comment)>?> DescribeRawAsync(TableName table, CancellationToken cancellationToken)
    {
        // EXISTS and DESCRIBE look at this table alone: a read of system.columns visits every
        // table of the database and fails when another build drops one of them meanwhile.
        RequireNoOpenReader();
        if (!await ClickHouseCluster.ExistsAsync(warehouse.Http, table, cancellationToken))
        {
            return null;
        }

        // name, type, default kind, default expression, comment.
        var columns = (await ClickHouseCluster.ReadAsync(warehouse.Http, $"describe table {Dialect.Quote(table)}", cancellationToken))
            .Select(r => (r[0], r[1], r.Length > 4 ? r[4] : string.Empty))
            .ToList();
        return columns.Count == 0 ? null : columns;
    }

    // ClickHouse's session is busy while a reply streams; a second request on it would be refused.
    private void RequireNoOpenReader()
    {
        if (_reading)
        {
            throw new InvalidOperationException("A reader is still open on this session; dispose it before running another statement.");
        }
    }
}

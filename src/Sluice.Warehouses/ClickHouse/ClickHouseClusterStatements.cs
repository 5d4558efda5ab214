using System.Text.RegularExpressions;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// Sends the DDL of a sharded warehouse's tables to every server of its cluster: a CREATE TABLE
/// becomes the shard-local MergeTree and the Distributed table over it on each server; DROP,
/// RENAME, ALTER, OPTIMIZE and TRUNCATE act on the local tables (and the Distributed ones where
/// their columns change). A rename renames the local tables of every pair in one statement per
/// server, so a swap is atomic on each server, and then points each Distributed table at the
/// local one of its name with the same columns. Statements on Sluice's state, inserts and
/// queries go to the URL's server as they are.
/// </summary>
internal sealed partial class ClickHouseClusterStatements(ClickHouseCluster cluster, string defaultDatabase)
{
    private static ISqlDialect Dialect => ClickHouseDialect.Instance;

    private ClickHouseHttp Main => cluster.Nodes[0];

    /// <summary>Runs <paramref name="statement"/> across the cluster when it is DDL of a sharded table; false when the URL's server alone should run it.</summary>
    public async Task<bool> TryRunAsync(string statement, CancellationToken cancellationToken)
    {
        var text = LeadingComments().Replace(statement, string.Empty);
        if (CreateDatabase().IsMatch(text) || CreateView().IsMatch(text))
        {
            await cluster.VerifyAsync(cancellationToken);
            await cluster.RunEverywhereAsync(text, cancellationToken);
            return true;
        }

        if (CreateTable().Match(text) is { Success: true } create)
        {
            return await CreateTableAsync(Name(create.Groups["name"].Value), create.Groups["ine"].Success, create.Groups["rest"].Value.Trim(), evenInState: false, cancellationToken);
        }

        if (DropTable().Match(text) is { Success: true } drop)
        {
            return await DropTableAsync(text, Name(drop.Groups["name"].Value), cancellationToken);
        }

        if (RenameTable().Match(text) is { Success: true } rename)
        {
            return await RenameAsync(rename.Groups["pairs"].Value, cancellationToken);
        }

        if (AlterTable().Match(text) is { Success: true } alter)
        {
            return await AlterAsync(Name(alter.Groups["name"].Value), alter.Groups["command"].Value.Trim(), cancellationToken);
        }

        if (LocalCommand().Match(text) is { Success: true } command && await IsShardedAsync(Name(command.Groups["name"].Value), cancellationToken))
        {
            var local = ClickHouseCluster.Local(Name(command.Groups["name"].Value));
            await cluster.RunEverywhereAsync($"{command.Groups["verb"].Value} table {Dialect.Quote(local)} {command.Groups["rest"].Value}", cancellationToken);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The query as the URL's server should run it: the CREATE statement of a sharded table is
    /// its shard-local table's, whose engine, partition key and sort key the table's rows have.
    /// </summary>
    public async Task<string> ForQueryAsync(string query, CancellationToken cancellationToken) =>
        ShowCreate().Match(query) is { Success: true } show && Name(show.Groups["name"].Value) is var table && await IsShardedAsync(table, cancellationToken)
            ? $"show create table {Dialect.Quote(ClickHouseCluster.Local(table))}"
            : query;

    /// <summary>
    /// Runs a mutation on the shard-local table of <paramref name="table"/> on every server and
    /// waits for each; false when the table is not sharded.
    /// </summary>
    public async Task<bool> TryMutateAsync(TableName table, string command, string condition, Func<ClickHouseHttp, TableName, Task> waitForMutations, CancellationToken cancellationToken)
    {
        if (!await IsShardedAsync(table, cancellationToken))
        {
            return false;
        }

        var local = ClickHouseCluster.Local(table);
        foreach (var node in cluster.Nodes)
        {
            await node.RunAsync($"alter table {Dialect.Quote(local)} {command} where {condition}", null, cancellationToken: cancellationToken);
        }

        foreach (var node in cluster.Nodes)
        {
            await waitForMutations(node, local);
        }

        return true;
    }

    /// <summary>The table a statement names, in the URL's database when it names none.</summary>
    public TableName Name(string written)
    {
        var parts = NamePart().Matches(written).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["bare"].Value).ToList();
        return parts.Count == 2 ? new TableName(parts[0], parts[1]) : new TableName(defaultDatabase, parts[^1]);
    }

    /// <summary>True when <paramref name="table"/> keeps its rows in shard-local tables.</summary>
    public async Task<bool> IsShardedAsync(TableName table, CancellationToken cancellationToken) =>
        await ClickHouseCluster.ExistsAsync(Main, ClickHouseCluster.Local(table), cancellationToken);

    /// <summary>
    /// Creates a sharded table from its CREATE TABLE statement, even among Sluice's state: a
    /// scratch table that a mutation on every shard reads must be readable on every shard.
    /// </summary>
    public async Task CreateShardedAsync(string statement, CancellationToken cancellationToken)
    {
        var create = CreateTable().Match(statement);
        if (!create.Success || !await CreateTableAsync(Name(create.Groups["name"].Value), create.Groups["ine"].Success, create.Groups["rest"].Value.Trim(), evenInState: true, cancellationToken))
        {
            throw new InvalidOperationException($"Not a CREATE TABLE statement that can be sharded: {statement}");
        }
    }

    private async Task<bool> CreateTableAsync(TableName table, bool ifNotExists, string rest, bool evenInState, CancellationToken cancellationToken)
    {
        if (ClickHouseCluster.IsUnsharded(table) && !evenInState)
        {
            return false;
        }

        await cluster.VerifyAsync(cancellationToken);
        if (await ClickHouseCluster.ExistsAsync(Main, table, cancellationToken))
        {
            // Nothing to do, or (false) the URL's server refuses it as one server would.
            return ifNotExists;
        }

        var local = ClickHouseCluster.Local(table);
        string? rows = null;
        if (rest.StartsWith('('))
        {
            await ReplaceEverywhereAsync(local, $"create table {Dialect.Quote(local)} {rest}", cancellationToken);
        }
        else if (AsOther().Match(rest) is { Success: true } like)
        {
            var other = Name(like.Groups["name"].Value);
            if (!await IsShardedAsync(other, cancellationToken))
            {
                return false;
            }

            await ReplaceEverywhereAsync(local, $"create table {Dialect.Quote(local)} as {Dialect.Quote(ClickHouseCluster.Local(other))} {like.Groups["rest"].Value}", cancellationToken);
        }
        else if (ClickHouseSql.TopLevelWord(rest, "as") is var at and > 0)
        {
            // CREATE TABLE … AS SELECT: the columns come from the query, run for no rows on the
            // URL's server; the rows then go in through the Distributed table, spread over the shards.
            var engine = rest[..at].Trim();
            var query = rest[(at + 2)..].Trim();
            foreach (var node in cluster.Nodes)
            {
                await node.RunAsync($"drop table if exists {Dialect.Quote(local)}", null, cancellationToken: cancellationToken);
            }

            await Main.RunAsync($"create table {Dialect.Quote(local)} {engine} as select * from (\n{query}\n) limit 0", null, cancellationToken: cancellationToken);
            var columns = string.Join(", ", (await ClickHouseCluster.ColumnsAsync(Main, local, cancellationToken)).Select(c => $"{Dialect.Quote(c.Name)} {c.Type}"));
            foreach (var node in cluster.Nodes.Skip(1))
            {
                await node.RunAsync($"create table {Dialect.Quote(local)} ({columns}) {engine}", null, cancellationToken: cancellationToken);
            }

            rows = query;
        }
        else
        {
            return false;
        }

        await cluster.RunEverywhereAsync($"create table {Dialect.Quote(table)} as {Dialect.Quote(local)} engine = {cluster.Engine(local)}", cancellationToken);
        if (rows is not null)
        {
            try
            {
                await Main.RunAsync($"insert into {Dialect.Quote(table)} select * from (\n{rows}\n)", null, cancellationToken: cancellationToken);
            }
            catch
            {
                // As CREATE TABLE … AS SELECT on one server: a failed query leaves no table.
                await DropEverywhereAsync(table, CancellationToken.None);
                throw;
            }
        }

        return true;
    }

    // A local table left by a crash between creating it and its Distributed table goes first.
    private async Task ReplaceEverywhereAsync(TableName local, string create, CancellationToken cancellationToken)
    {
        await cluster.RunEverywhereAsync($"drop table if exists {Dialect.Quote(local)}", cancellationToken);
        await cluster.RunEverywhereAsync(create, cancellationToken);
    }

    private async Task<bool> DropTableAsync(string statement, TableName table, CancellationToken cancellationToken)
    {
        if (await IsShardedAsync(table, cancellationToken))
        {
            await DropEverywhereAsync(table, cancellationToken);
            return true;
        }

        if (ClickHouseCluster.IsUnsharded(table))
        {
            return false;
        }

        // A view (on every server): the URL's server runs the statement as written, refusing it
        // as one server would, and the others drop theirs.
        await Main.RunAsync(statement, null, cancellationToken: cancellationToken);
        foreach (var node in cluster.Nodes.Skip(1))
        {
            await node.RunAsync($"drop table if exists {Dialect.Quote(table)}", null, cancellationToken: cancellationToken);
        }

        return true;
    }

    private async Task DropEverywhereAsync(TableName table, CancellationToken cancellationToken)
    {
        await cluster.RunEverywhereAsync($"drop table if exists {Dialect.Quote(table)}", cancellationToken);
        await cluster.RunEverywhereAsync($"drop table if exists {Dialect.Quote(ClickHouseCluster.Local(table))}", cancellationToken);
    }

    private async Task<bool> RenameAsync(string pairs, CancellationToken cancellationToken)
    {
        var named = RenamePair().Matches(pairs).Select(p => (From: Name(p.Groups["from"].Value), To: Name(p.Groups["to"].Value))).ToList();
        var sharded = new HashSet<TableName>();
        foreach (var (from, _) in named)
        {
            if (await IsShardedAsync(from, cancellationToken))
            {
                sharded.Add(from);
            }
        }

        if (named.Count == 0 || (sharded.Count == 0 && named.Any(p => ClickHouseCluster.IsUnsharded(p.From) || ClickHouseCluster.IsUnsharded(p.To))))
        {
            return false;
        }

        var renames = new List<string>();
        var distributed = new List<TableName>();
        var renamedTo = new HashSet<TableName>();
        foreach (var (from, to) in named)
        {
            if (sharded.Contains(from))
            {
                renames.Add($"{Dialect.Quote(ClickHouseCluster.Local(from))} to {Dialect.Quote(ClickHouseCluster.Local(to))}");
                distributed.Add(from);
                distributed.Add(to);
                renamedTo.Add(to);
            }
            else
            {
                renames.Add($"{Dialect.Quote(from)} to {Dialect.Quote(to)}");
            }
        }

        await cluster.VerifyAsync(cancellationToken);
        await cluster.RunEverywhereAsync($"rename table {string.Join(", ", renames)}", cancellationToken);
        foreach (var node in cluster.Nodes)
        {
            foreach (var table in distributed.Distinct())
            {
                await PointDistributedAsync(node, table, renamedTo.Contains(table), cancellationToken);
            }
        }

        return true;
    }

    /// <summary>
    /// Makes <paramref name="table"/> on <paramref name="node"/> a Distributed table over its
    /// local table with the same columns, or drops it when the local table is gone.
    /// </summary>
    private async Task PointDistributedAsync(ClickHouseHttp node, TableName table, bool renamedHere, CancellationToken cancellationToken)
    {
        var local = ClickHouseCluster.Local(table);
        var localColumns = await ClickHouseCluster.ColumnsAsync(node, local, cancellationToken);
        var columns = await ClickHouseCluster.ColumnsAsync(node, table, cancellationToken);
        if (localColumns.Count == 0 && renamedHere)
        {
            // A table just renamed to this name has its local table; never drop the name's
            // Distributed table on a server's word that it has not. Running the work again converges.
            throw new WarehouseException($"ClickHouse did not show {local} right after a table was renamed to it; nothing was dropped, and running the same work again converges.")
            {
                IsTransient = true,
            };
        }

        if (localColumns.Count == 0)
        {
            await node.RunAsync($"drop table if exists {Dialect.Quote(table)}", null, cancellationToken: cancellationToken);
        }
        else if (columns.Count == 0)
        {
            await node.RunAsync($"create table {Dialect.Quote(table)} as {Dialect.Quote(local)} engine = {cluster.Engine(local)}", null, cancellationToken: cancellationToken);
        }
        else if (!columns.SequenceEqual(localColumns))
        {
            // Built with other columns: a new Distributed table takes the name in one rename.
            var (next, old) = (ClickHouseCluster.Beside(table, "__sluice_dnew"), ClickHouseCluster.Beside(table, "__sluice_dold"));
            await node.RunAsync($"drop table if exists {Dialect.Quote(next)}", null, cancellationToken: cancellationToken);
            await node.RunAsync($"drop table if exists {Dialect.Quote(old)}", null, cancellationToken: cancellationToken);
            await node.RunAsync($"create table {Dialect.Quote(next)} as {Dialect.Quote(local)} engine = {cluster.Engine(local)}", null, cancellationToken: cancellationToken);
            await node.RunAsync($"rename table {Dialect.Quote(table)} to {Dialect.Quote(old)}, {Dialect.Quote(next)} to {Dialect.Quote(table)}", null, cancellationToken: cancellationToken);
            await node.RunAsync($"drop table {Dialect.Quote(old)}", null, cancellationToken: cancellationToken);
        }
    }

    private async Task<bool> AlterAsync(TableName table, string command, CancellationToken cancellationToken)
    {
        if (!await IsShardedAsync(table, cancellationToken))
        {
            return false;
        }

        var local = ClickHouseCluster.Local(table);
        if (ColumnCommand().IsMatch(command))
        {
            await cluster.RunEverywhereAsync($"alter table {Dialect.Quote(local)} {command}", cancellationToken);
            await cluster.RunEverywhereAsync($"alter table {Dialect.Quote(table)} {command}", cancellationToken);
            return true;
        }

        if (FromOther().Match(command) is { Success: true } from && await IsShardedAsync(Name(from.Groups["name"].Value), cancellationToken))
        {
            command = $"{command[..from.Groups["name"].Index]}{Dialect.Quote(ClickHouseCluster.Local(Name(from.Groups["name"].Value)))}";
        }

        await cluster.RunEverywhereAsync($"alter table {Dialect.Quote(local)} {command}", cancellationToken);
        return true;
    }

    private const string TableNamePattern = @"(?:""[^""]+""|`[^`]+`|\w+)(?:\.(?:""[^""]+""|`[^`]+`|\w+))?";

    [GeneratedRegex(@"^\s*show\s+create\s+table\s+(?<name>" + TableNamePattern + @")\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowCreate();

    [GeneratedRegex(@"^\s*create\s+database\b", RegexOptions.IgnoreCase)]
    private static partial Regex CreateDatabase();

    [GeneratedRegex(@"^\s*create\s+(or\s+replace\s+)?view\b", RegexOptions.IgnoreCase)]
    private static partial Regex CreateView();

    [GeneratedRegex(@"^\s*create\s+table\s+(?<ine>if\s+not\s+exists\s+)?(?<name>" + TableNamePattern + @")\s*(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^as\s+(?<name>" + TableNamePattern + @")(?<rest>(\s+engine\b.*)?)\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AsOther();

    [GeneratedRegex(@"^\s*drop\s+table\s+(?<ie>if\s+exists\s+)?(?<name>" + TableNamePattern + @")\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex DropTable();

    [GeneratedRegex(@"^\s*rename\s+table\s+(?<pairs>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex RenameTable();

    [GeneratedRegex(@"(?<from>" + TableNamePattern + @")\s+to\s+(?<to>" + TableNamePattern + ")", RegexOptions.IgnoreCase)]
    private static partial Regex RenamePair();

    [GeneratedRegex(@"^\s*alter\s+table\s+(?<name>" + TableNamePattern + @")\s+(?<command>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AlterTable();

    [GeneratedRegex(@"^(add|drop|modify|comment)\s+column\b", RegexOptions.IgnoreCase)]
    private static partial Regex ColumnCommand();

    [GeneratedRegex(@"\bfrom\s+(?<name>" + TableNamePattern + @")\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FromOther();

    [GeneratedRegex(@"^\s*(?<verb>optimize|truncate)\s+table\s+(?<name>" + TableNamePattern + @")(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex LocalCommand();

    [GeneratedRegex(@"^(\s*(--[^\n]*(\n|$)|/\*.*?\*/))*\s*", RegexOptions.Singleline)]
    private static partial Regex LeadingComments();

    [GeneratedRegex(@"""(?<quoted>[^""]+)""|`(?<quoted>[^`]+)`|(?<bare>\w+)")]
    private static partial Regex NamePart();
}

namespace Sluice.Core.Warehouse;

/// <summary>How an engine spells identifiers and types.</summary>
public interface ISqlDialect
{
    /// <summary>Quotes a validated identifier; SQL's double quotes unless an engine says otherwise.</summary>
    string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>Quotes a schema-qualified table name.</summary>
    string Quote(TableName table) => $"{Quote(table.Schema)}.{Quote(table.Name)}";

    /// <summary>The engine's type name for a column type.</summary>
    string TypeName(ColumnType type);

    /// <summary>
    /// An integer expression of the first 60 bits of the MD5 of a text expression, the same number
    /// on every engine: summed, it checksums a set of keys.
    /// </summary>
    string Md5Bits(string textExpression);

    /// <summary>A boolean expression: whether the text of <paramref name="expression"/> contains a match of the regular expression <paramref name="pattern"/>.</summary>
    string RegexMatches(string expression, string pattern);

    /// <summary>An aggregate counting the rows where <paramref name="condition"/> is true (not false, not null).</summary>
    string CountWhere(string condition) => $"count(*) filter (where {condition})";

    /// <summary>An aggregate: the mean of a numeric expression, to a double's precision at least.</summary>
    string Mean(string expression) => $"avg({expression})";

    /// <summary>
    /// The first day (a date) of the period of <paramref name="grain"/> (day, week from Monday,
    /// month, quarter or year) that holds the date or timestamp <paramref name="expression"/>.
    /// </summary>
    string PeriodStart(string grain, string expression) => $"cast(date_trunc('{grain}', {expression}) as date)";

    /// <summary>
    /// An aggregate: the continuous percentile <paramref name="fraction"/> (0.5 for the median) of
    /// a numeric expression, interpolating between the two nearest values.
    /// </summary>
    string Percentile(string expression, double fraction) =>
        $"percentile_cont({fraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}) within group (order by {expression})";

    /// <summary>
    /// Aggregates giving several continuous percentiles of one expression, in the order of
    /// <paramref name="fractions"/>. Engines that share one sort between them need nothing more
    /// than <see cref="Percentile"/> for each.
    /// </summary>
    IReadOnlyList<string> Percentiles(string expression, IReadOnlyList<double> fractions) =>
        [.. fractions.Select(f => Percentile(expression, f))];

    /// <summary>
    /// Session settings for counting rows per key over a relation of <paramref name="rows"/> rows,
    /// as a duplicate search does, and the statement that restores the default; null where the
    /// engine's defaults serve. What they cost must grow with <paramref name="rows"/>, not be
    /// fixed by the largest table they were tuned on.
    /// </summary>
    (string Set, string Reset)? KeyCountSettings(long rows) => null;

    /// <summary>
    /// The sum of an integer expression without overflow, however many rows, as a column whose
    /// value <c>GetString</c> reads as its digits (PostgreSQL and DuckDB widen bigint sums).
    /// </summary>
    string ExactSumText(string expression) => TextOf($"sum({expression})");

    /// <summary>The text of a value: <c>cast(x as varchar)</c>.</summary>
    string TextOf(string expression) => $"cast({expression} as varchar)";

    /// <summary>Texts joined with a separator: <c>concat_ws('|', a, b)</c>. The texts are not null.</summary>
    string JoinTexts(string separator, IReadOnlyList<string> texts) =>
        $"concat_ws({Literal(separator)}, {string.Join(", ", texts)})";

    /// <summary>A NULL of a column type, for a column of a result that has no value: <c>cast(null as date)</c>.</summary>
    string TypedNull(ColumnType type) => $"cast(null as {TypeName(type)})";

    /// <summary><paramref name="expression"/> converted to <paramref name="type"/>, a NULL staying NULL.</summary>
    string CastTo(string expression, ColumnType type) => $"cast({expression} as {TypeName(type)})";

    /// <summary>
    /// The UTC calendar day of a date, timestamp or timestamptz expression, the same day on every
    /// engine whatever the session's time zone.
    /// </summary>
    string UtcDay(string expression, ColumnKind kind) => kind switch
    {
        ColumnKind.Date => expression,
        ColumnKind.TimestampTz => $"cast({expression} at time zone 'UTC' as date)",
        _ => $"cast({expression} as date)",
    };

    /// <summary>
    /// A condition on the rows of <paramref name="outer"/> (a quoted table, not aliased): no row of
    /// <paramref name="inner"/> has the same <paramref name="keys"/>. The keys are not null.
    /// </summary>
    string KeysAbsent(string outer, string inner, IReadOnlyList<string> keys) =>
        $"not exists (select 1 from {inner} p where {string.Join(" and ", keys.Select(k => $"p.{Quote(k)} = {outer}.{Quote(k)}"))})";

    /// <summary>
    /// A condition on the rows of <paramref name="outer"/> (a quoted table, not aliased): a row of
    /// <paramref name="inner"/> whose <paramref name="liveColumn"/> is null has the same
    /// <paramref name="keys"/> and, nulls equal to nulls, the same <paramref name="columns"/>.
    /// </summary>
    string SameRowPresent(string outer, string inner, IReadOnlyList<string> keys, IReadOnlyList<string> columns, string liveColumn) =>
        $"exists (select 1 from {inner} r where r.{Quote(liveColumn)} is null and "
        + string.Join(" and ", keys.Select(k => $"r.{Quote(k)} = {outer}.{Quote(k)}").Concat(columns.Select(c => $"r.{Quote(c)} is not distinct from {outer}.{Quote(c)}")))
        + ")";

    /// <summary>
    /// A query for <paramref name="columns"/> of the rows of <paramref name="from"/> that match
    /// <paramref name="where"/> and come first in their group of <paramref name="groupBy"/> when
    /// ordered by <paramref name="orderBy"/>: the latest run of each partition, say.
    /// </summary>
    string FirstPerGroup(string columns, string from, string where, string groupBy, string orderBy) =>
        $"select {columns} from (select *, row_number() over (partition by {groupBy} order by {orderBy}) as _sluice_position from {from} where {where}) as ranked where _sluice_position = 1";

    /// <summary>A query giving one row: how many entities reach each step of <paramref name="funnel"/>, in order.</summary>
    string FunnelCounts(FunnelSql funnel) => funnel.Joined();

    /// <summary>
    /// A query for the rows of <paramref name="from"/> (a <c>from … where …</c> clause over a
    /// relation whose columns are <paramref name="columns"/>), each with a column
    /// <paramref name="countColumn"/> holding how many of those rows share its
    /// <paramref name="keys"/>, nulls equal to nulls: the rows of a duplicate search.
    /// </summary>
    string WithGroupCount(string from, IReadOnlyList<string> columns, IReadOnlyList<string> keys, string countColumn) =>
        $"select *, count(*) over (partition by {string.Join(", ", keys.Select(Quote))}) as {countColumn} {from}";

    /// <summary>
    /// A query that reads the rows of <paramref name="query"/> more than once, computed once where
    /// the engine can: <paramref name="select"/> is given what to write after <c>from</c> to read
    /// them (<c>with name as materialized (query) …</c> and the name, by default).
    /// </summary>
    string WithShared(string name, string query, Func<string, string> select) =>
        $"with {name} as materialized ({query}) {select(name)}";

    /// <summary>
    /// Why snapshots cannot be built on this engine, or null when they can: their merge closes a
    /// row's current version with values taken from the new rows (<c>update … from</c>).
    /// </summary>
    string? SnapshotsMissing => null;

    /// <summary>
    /// Why a query cannot begin with common table expressions (<c>with name as (…)</c>) on this
    /// engine, or null when it can.
    /// </summary>
    string? CommonTableExpressionsMissing => null;

    /// <summary>
    /// A query for <paramref name="columns"/> of the rows of <paramref name="from"/> whose
    /// <paramref name="column"/> is the greatest in their group of <paramref name="groupBy"/>,
    /// ties all kept: the latest result of each check, say.
    /// </summary>
    string RowsAtGroupMax(string columns, string from, string groupBy, string column) =>
        $"select {columns} from (select *, max({column}) over (partition by {groupBy}) as _sluice_latest from {from}) as ranked where {column} = _sluice_latest";

    /// <summary>
    /// A condition on the rows of <paramref name="table"/> (a quoted table, not aliased): a row of
    /// the same <paramref name="groupBy"/> columns has a greater <paramref name="column"/>.
    /// </summary>
    string NotGroupMax(string table, IReadOnlyList<string> groupBy, string column) =>
        $"{column} < (select max(l.{column}) from {table} l where {string.Join(" and ", groupBy.Select(g => $"l.{g} = {table}.{g}"))})";

    /// <summary>
    /// A query for <paramref name="key"/> of the rows of <paramref name="table"/> that were going
    /// at one of the times in column <paramref name="timeColumn"/> of <paramref name="times"/>:
    /// <paramref name="start"/> at or before it and <paramref name="end"/> null or at or after it.
    /// </summary>
    string RowsGoingAt(string key, string table, string start, string end, string times, string timeColumn) =>
        $"select r.{key} from {table} r join ({times}) as times on r.{start} <= times.{timeColumn} and (r.{end} is null or r.{end} >= times.{timeColumn})";

    /// <summary>
    /// Why a delete whose condition reads the table it deletes from (keep the latest row of each
    /// group) cannot run on this engine, or null when it can.
    /// </summary>
    string? DeletesReadingTheirTableMissing => null;

    /// <summary>A table made from a query's rows: <c>create table t as select …</c>.</summary>
    string CreateTableAs(string quotedTable, string query, bool ifNotExists = false) =>
        $"create table {(ifNotExists ? "if not exists " : "")}{quotedTable} as\n{query}";

    /// <summary>
    /// True when the engine lays tables out by a <see cref="TableLayout"/>: then a model's table is
    /// made with the layout overload of <c>CreateTableAs</c>, from the query's columns as
    /// <see cref="QueryColumnsQuery"/> reports them. Other engines ignore layouts.
    /// </summary>
    bool LaysOutTables => false;

    /// <summary>A query for the name and engine type of each column <paramref name="query"/> returns, in order (engines that lay out tables).</summary>
    string QueryColumnsQuery(string query) => throw new NotSupportedException("This engine does not lay out tables.");

    /// <summary>
    /// Why a table of <paramref name="columns"/> (name, engine type) cannot be laid out as
    /// <paramref name="layout"/> says, in a phrase naming the column; null when it can.
    /// </summary>
    string? LayoutProblem(IReadOnlyList<(string Name, string Type)> columns, TableLayout layout) => null;

    /// <summary>
    /// The statements that make a table laid out as <paramref name="layout"/> says from a query's
    /// rows, given the query's <paramref name="columns"/> (name, engine type).
    /// </summary>
    string CreateTableAs(string quotedTable, string query, IReadOnlyList<(string Name, string Type)> columns, TableLayout layout, bool ifNotExists = false) =>
        CreateTableAs(quotedTable, query, ifNotExists);

    /// <summary>
    /// A query whose one value holds the partition key of <paramref name="quotedTable"/>, where
    /// whole partitions can be swapped in (<see cref="ReplacePartition"/>); null elsewhere.
    /// </summary>
    string? PartitionKeyQuery(string quotedTable) => null;

    /// <summary>An empty table with the columns, keys and storage of another.</summary>
    string CreateTableLike(string quotedNew, string quotedTable) => $"create table {quotedNew} as select * from {quotedTable} limit 0";

    /// <summary>
    /// The ID of the table partition that holds the model partition starting on
    /// <paramref name="start"/> and nothing else, when the table's partition key
    /// (in <paramref name="tableKey"/>, the value of <see cref="PartitionKeyQuery"/>) is the one
    /// <paramref name="partitioning"/> gives; null for any other key.
    /// </summary>
    string? PartitionId(string tableKey, TablePartitioning partitioning, DateOnly start) => null;

    /// <summary>A query for the IDs of the partitions that hold rows of table <c>$2</c> in schema <c>$1</c> (engines with <see cref="PartitionKeyQuery"/>).</summary>
    string PartitionIdsQuery => throw new NotSupportedException("This engine does not swap partitions.");

    /// <summary>
    /// The statement that puts the rows of partition <paramref name="partitionId"/> of
    /// <paramref name="quotedSource"/> (made by <see cref="CreateTableLike"/>) in place of that
    /// partition of <paramref name="quotedTable"/>, in one step (engines with <see cref="PartitionKeyQuery"/>).
    /// </summary>
    string ReplacePartition(string quotedTable, string quotedSource, string partitionId) => throw new NotSupportedException("This engine does not swap partitions.");

    /// <summary>A table renamed within its schema.</summary>
    string RenameTable(TableName table, string newName) => $"alter table {Quote(table)} rename to {Quote(newName)}";

    /// <summary>A table or view dropped with what depends on it, as dbt does.</summary>
    string DropRelation(string quotedTable, bool view, bool ifExists = false) =>
        $"drop {(view ? "view" : "table")} {(ifExists ? "if exists " : "")}{quotedTable} cascade";

    /// <summary>
    /// A query for the tables and views of schema <c>$1</c>: their <c>name</c> and <c>kind</c>,
    /// which contains VIEW for views.
    /// </summary>
    string RelationsQuery => "select table_name as name, table_type as kind from information_schema.tables where table_schema = $1";

    /// <summary>
    /// A query for the columns of relation <c>$2</c> in schema <c>$1</c>, in order: their name and
    /// the engine's type name, usable in ALTER TABLE … ADD COLUMN.
    /// </summary>
    string ColumnsQuery =>
        "select column_name, data_type from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position";

    /// <summary>A string literal: <c>'it''s'</c>.</summary>
    string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>Reads an engine type name (as information_schema reports it) back into a column type.</summary>
    ColumnType ParseType(string dataType, int? precision, int? scale);
}

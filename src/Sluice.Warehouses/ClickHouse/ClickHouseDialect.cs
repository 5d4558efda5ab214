using System.Globalization;
using System.Text;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// ClickHouse's spelling of types and expressions, kept to what servers from 18.16 on run: no
/// window functions, no <c>FILTER</c>, string escapes with backslashes.
/// </summary>
public sealed class ClickHouseDialect : ISqlDialect
{
    /// <summary>The shared instance.</summary>
    public static readonly ClickHouseDialect Instance = new();

    /// <summary>
    /// The column comment that records a Sluice type ClickHouse has no type of its own for
    /// (bytes, JSON, times of day, intervals, wall-clock timestamps are kept in String and
    /// DateTime columns), so that a table is described back as it was created.
    /// </summary>
    public const string TypeCommentPrefix = "sluice:";

    /// <inheritdoc />
    /// <remarks>Inside double quotes ClickHouse reads a backslash as an escape, so both are escaped with one.</remarks>
    public string Quote(string identifier) =>
        $"\"{identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    /// <inheritdoc />
    public string Md5Bits(string textExpression) =>
        $"toInt64(bitShiftRight(reinterpretAsUInt64(reverse(substring(MD5({textExpression}), 1, 8))), 4))";

    /// <inheritdoc />
    public string RegexMatches(string expression, string pattern) => $"match(toString({expression}), {((ISqlDialect)this).Literal(pattern)})";

    /// <inheritdoc />
    public string CountWhere(string condition) => $"countIf({condition})";

    /// <inheritdoc />
    /// <remarks>The mean of a Decimal keeps the Decimal's scale, cutting digits off: it is taken over doubles.</remarks>
    public string Mean(string expression) => $"avg(toFloat64({expression}))";

    /// <inheritdoc />
    public string PeriodStart(string grain, string expression) => grain switch
    {
        "day" => $"toDate({expression})",
        "week" => $"toMonday({expression})",
        "month" => $"toStartOfMonth({expression})",
        "quarter" => $"toStartOfQuarter({expression})",
        "year" => $"toStartOfYear({expression})",
        _ => throw new ArgumentOutOfRangeException(nameof(grain), grain, "a period is a day, week, month, quarter or year"),
    };

    /// <inheritdoc />
    public string Literal(string text) => ClickHouseSql.Quote(text);

    /// <inheritdoc />
    /// <remarks>
    /// A sum of Int64 wraps around on ClickHouse; a Decimal128 sum holds 38 digits. It is not
    /// turned into text on the server, whose toString of a Decimal128 is wrong in 18.16; the
    /// reader gives its digits.
    /// </remarks>
    public string ExactSumText(string expression) => $"sum(toDecimal128({expression}, 0))";

    /// <inheritdoc />
    public string TextOf(string expression) => $"toString({expression})";

    /// <inheritdoc />
    public string JoinTexts(string separator, IReadOnlyList<string> texts) =>
        $"concat({string.Join($", {Literal(separator)}, ", texts)})";

    /// <inheritdoc />
    public string TypedNull(ColumnType type) => $"cast(NULL as Nullable({TypeName(type)}))";

    /// <inheritdoc />
    /// <remarks>A cast to a bare type refuses a NULL; one to its Nullable form keeps it.</remarks>
    public string CastTo(string expression, ColumnType type) => $"cast({expression} as Nullable({TypeName(type)}))";

    /// <inheritdoc />
    /// <remarks>Timestamps are stored as DateTime('UTC'), whose day is the UTC day.</remarks>
    public string UtcDay(string expression, ColumnKind kind) => kind == ColumnKind.Date ? expression : $"toDate({expression})";

    /// <inheritdoc />
    /// <remarks>ClickHouse has no correlated subqueries; the keys are matched as a tuple.</remarks>
    public string KeysAbsent(string outer, string inner, IReadOnlyList<string> keys)
    {
        var list = string.Join(", ", keys.Select(Q));
        return $"({list}) not in (select {list} from {inner})";
    }

    /// <inheritdoc />
    /// <remarks>
    /// Rows are matched as tuples; a nullable column counts as the pair (is it null, its value
    /// or the type's default), since ClickHouse's IN never matches a NULL.
    /// </remarks>
    public string SameRowPresent(string outer, string inner, IReadOnlyList<string> keys, IReadOnlyList<string> columns, string liveColumn)
    {
        var list = string.Join(", ", keys.Select(Q).Concat(columns.Select(c => $"isNull({Q(c)}), assumeNotNull({Q(c)})")));
        return $"({list}) in (select {list} from {inner} where {Q(liveColumn)} is null)";
    }

    /// <inheritdoc />
    /// <remarks>
    /// ClickHouse has no window functions before 21.x; LIMIT 1 BY keeps each group's first row.
    /// 18.16 orders and limits by the selected columns only, so every column is selected inside.
    /// </remarks>
    public string FirstPerGroup(string columns, string from, string where, string groupBy, string orderBy) =>
        $"select {columns} from (select * from {from} where {where} order by {orderBy} limit 1 by {groupBy}) as first_per_group";

    /// <inheritdoc />
    public string? DeletesReadingTheirTableMissing => "ClickHouse 18.16 deletes by mutation, which cannot read the table it deletes from";

    /// <inheritdoc />
    /// <remarks>
    /// No window functions: the rows are joined to their groups' counts. A join never matches a
    /// NULL key, so the keys are matched as (is it null, its value or the type's default).
    /// </remarks>
    public string WithGroupCount(string from, IReadOnlyList<string> columns, IReadOnlyList<string> keys, string countColumn)
    {
        var key = $"tuple({string.Join(", ", keys.Select(k => $"isNull({Q(k)}), assumeNotNull({Q(k)})"))})";
        return $"select {string.Join(", ", columns.Select(Q))}, {countColumn} from (select *, {key} as _sluice_group {from}) "
            + $"all inner join (select {key} as _sluice_group, count() as {countColumn} {from} group by _sluice_group) using _sluice_group";
    }

    /// <inheritdoc />
    /// <remarks>18.16 has no common table expressions: the query is written where it is read.</remarks>
    public string WithShared(string name, string query, Func<string, string> select) => select($"({query}) as {name}");

    /// <inheritdoc />
    public string? SnapshotsMissing => "ClickHouse 18.16 changes rows by mutation, which cannot take a row's new values from another table as a snapshot's merge does";

    /// <inheritdoc />
    public string? CommonTableExpressionsMissing => "ClickHouse 18.16 has no common table expressions (with … as (…))";

    /// <inheritdoc />
    /// <remarks>No window functions: the rows are matched against their groups' maxima as tuples.</remarks>
    public string RowsAtGroupMax(string columns, string from, string groupBy, string column) =>
        $"select {columns} from {from} where ({groupBy}, {column}) in (select {groupBy}, max({column}) from {from} group by {groupBy})";

    /// <inheritdoc />
    /// <remarks>No correlated subqueries: the rows are matched against their groups' maxima as tuples.</remarks>
    public string NotGroupMax(string table, IReadOnlyList<string> groupBy, string column)
    {
        var list = string.Join(", ", groupBy);
        return $"({list}, {column}) not in (select {list}, max({column}) from {table} group by {list})";
    }

    /// <inheritdoc />
    /// <remarks>
    /// A join on anything but equal keys is beyond 18.16: each row is paired with each of the
    /// times, gathered into one array, by ARRAY JOIN (a lambda over the array would lose the
    /// row's columns when the query around it reads none of them).
    /// </remarks>
    public string RowsGoingAt(string key, string table, string start, string end, string times, string timeColumn) =>
        $"select distinct {key} from {table} array join (select groupArray({timeColumn}) from ({times})) as _sluice_t where {start} <= _sluice_t and (isNull({end}) or assumeNotNull({end}) >= _sluice_t)";

    /// <inheritdoc />
    /// <remarks>ClickHouse needs an engine: a MergeTree kept in arrival order (a model's table has the layout overload).</remarks>
    public string CreateTableAs(string quotedTable, string query, bool ifNotExists = false) =>
        $"create table {(ifNotExists ? "if not exists " : "")}{quotedTable} engine = MergeTree() order by tuple() as\n{query}";

    /// <inheritdoc />
    public bool LaysOutTables => true;

    /// <inheritdoc />
    public string QueryColumnsQuery(string query) => $"describe table (\n{query}\n)";

    /// <inheritdoc />
    public string? LayoutProblem(IReadOnlyList<(string Name, string Type)> columns, TableLayout layout) => ClickHouseTableLayout.Problem(columns, layout);

    /// <inheritdoc />
    /// <remarks>
    /// The table is declared column by column, LowCardinality ones included (a CREATE … AS SELECT
    /// takes the query's types), then filled; see <see cref="ClickHouseTableLayout"/> for the keys.
    /// </remarks>
    public string CreateTableAs(string quotedTable, string query, IReadOnlyList<(string Name, string Type)> columns, TableLayout layout, bool ifNotExists = false) =>
        ClickHouseTableLayout.Create(quotedTable, query, columns, layout, ifNotExists);

    /// <inheritdoc />
    /// <remarks>
    /// The table's CREATE statement, not system.tables' partition_key: 18.16 fails a read of that
    /// column when any table of the database is dropped meanwhile, as other builds' scratch tables are.
    /// </remarks>
    public string? PartitionKeyQuery(string quotedTable) => $"show create table {quotedTable}";

    /// <inheritdoc />
    public string CreateTableLike(string quotedNew, string quotedTable) => $"create table {quotedNew} as {quotedTable}";

    /// <inheritdoc />
    public string? PartitionId(string tableKey, TablePartitioning partitioning, DateOnly start) => ClickHouseTableLayout.PartitionId(tableKey, partitioning, start);

    /// <inheritdoc />
    public string PartitionIdsQuery => "select distinct partition_id from system.parts where database = $1 and table = $2 and active";

    /// <inheritdoc />
    /// <remarks>REPLACE PARTITION is atomic; from a table without rows in the partition it empties it.</remarks>
    public string ReplacePartition(string quotedTable, string quotedSource, string partitionId) =>
        $"alter table {quotedTable} replace partition id {Literal(partitionId)} from {quotedSource}";

    /// <inheritdoc />
    public string RenameTable(TableName table, string newName) =>
        $"rename table {((ISqlDialect)this).Quote(table)} to {Q(table.Schema)}.{Q(newName)}";

    /// <inheritdoc />
    /// <remarks>ClickHouse drops views with DROP TABLE and keeps no dependencies to cascade to.</remarks>
    public string DropRelation(string quotedTable, bool view, bool ifExists = false) =>
        $"drop table {(ifExists ? "if exists " : "")}{quotedTable}";

    /// <inheritdoc />
    public string RelationsQuery =>
        "select name, if(engine like '%View', 'VIEW', 'BASE TABLE') as kind from system.tables where database = $1";

    /// <inheritdoc />
    public string ColumnsQuery => "select name, type from system.columns where database = $1 and table = $2";

    private string Q(string identifier) => ((ISqlDialect)this).Quote(identifier);

    /// <inheritdoc />
    /// <remarks>
    /// ClickHouse's own quantiles either sample or return a value of the set; this one sorts the
    /// values and interpolates between the two nearest, as percentile_cont does, and is null for none.
    /// </remarks>
    public string Percentile(string expression, double fraction)
    {
        var f = fraction.ToString("R", CultureInfo.InvariantCulture);
        var at = $"{f} * (length(s) - 1)";
        return $"arrayMap(s -> if(length(s) = 0, NULL, toNullable(s[toUInt64(floor({at})) + 1] + ({at} - floor({at})) * (s[toUInt64(ceil({at})) + 1] - s[toUInt64(floor({at})) + 1]))), [arraySort(groupArray(toFloat64({expression})))])[1]";
    }

    /// <inheritdoc />
    /// <remarks>
    /// Without common table expressions or joins on inequalities, each entity's events are
    /// gathered once into arrays of seconds, one per later step; a level per step then keeps the
    /// times at or after the previous step's (and within the window of entering) and takes the
    /// earliest. The bounds are passed to the filter as arrays, not captured by its lambda: 18.16
    /// drops a subquery's columns that only a lambda reads.
    /// </remarks>
    public string FunnelCounts(FunnelSql funnel)
    {
        var steps = funnel.Steps;
        var entered = $"_sluice_step = {steps[0]} and _sluice_at < {funnel.End}";
        var level = new StringBuilder()
            .Append($"select countIf({entered}) > 0 as _sluice_r1, ifNull(minIf(_sluice_ts, {entered}), 0) as _sluice_t1")
            .Append(string.Concat(Enumerable.Range(2, steps.Count - 1).Select(i => $", groupArrayIf(_sluice_ts, _sluice_step = {steps[i - 1]}) as _sluice_a{i}")))
            .Append($" from (select {funnel.Entity} as _sluice_entity, {funnel.Step} as _sluice_step, {funnel.Time} as _sluice_at, toInt64(toDateTime(assumeNotNull({funnel.Time}))) as _sluice_ts")
            .Append($" from {funnel.Relation} where {funnel.Conditions}) group by _sluice_entity")
            .ToString();
        for (var i = 2; i <= steps.Count; i++)
        {
            var kept = string.Join(", ", Enumerable.Range(1, i - 1).Select(j => $"_sluice_r{j}").Append("_sluice_t1").Append($"_sluice_t{i - 1}").Distinct()
                .Concat(Enumerable.Range(i + 1, steps.Count - i).Select(j => $"_sluice_a{j}")));
            var filter = funnel.WindowSeconds is { } w
                ? string.Create(CultureInfo.InvariantCulture, $"arrayFilter((x, lo, hi) -> x >= lo and x <= hi, _sluice_a{i}, replicate(_sluice_t{i - 1}, _sluice_a{i}), replicate(_sluice_t1 + {w}, _sluice_a{i}))")
                : $"arrayFilter((x, lo) -> x >= lo, _sluice_a{i}, replicate(_sluice_t{i - 1}, _sluice_a{i}))";
            level = $"select {kept}, {filter} as _sluice_f{i}, _sluice_r{i - 1} and notEmpty(_sluice_f{i}) as _sluice_r{i}, arrayReduce('min', _sluice_f{i}) as _sluice_t{i} from ({level})";
        }

        return $"select {string.Join(", ", Enumerable.Range(1, steps.Count).Select(i => $"countIf(_sluice_r{i})"))} from ({level})";
    }

    /// <inheritdoc />
    public string TypeName(ColumnType type) => type.Kind switch
    {
        ColumnKind.Boolean => "UInt8",
        ColumnKind.SmallInt => "Int16",
        ColumnKind.Integer => "Int32",
        ColumnKind.BigInt => "Int64",
        ColumnKind.Real => "Float32",
        ColumnKind.Double => "Float64",
        ColumnKind.Decimal => type.IsUnboundedDecimal ? "Decimal(38, 10)" : $"Decimal({type.Precision}, {type.Scale})",
        ColumnKind.Text or ColumnKind.Binary or ColumnKind.Json or ColumnKind.Time or ColumnKind.Interval => "String",
        ColumnKind.Date => "Date",
        ColumnKind.Timestamp or ColumnKind.TimestampTz => "DateTime('UTC')",
        ColumnKind.Uuid => "UUID",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column kind."),
    };

    /// <summary>The comment that marks a column of <paramref name="type"/>, or null when the ClickHouse type says it all.</summary>
    public static string? TypeComment(ColumnType type) => type.Kind switch
    {
        ColumnKind.Binary => TypeCommentPrefix + "binary",
        ColumnKind.Json => TypeCommentPrefix + "json",
        ColumnKind.Time => TypeCommentPrefix + "time",
        ColumnKind.Interval => TypeCommentPrefix + "interval",
        ColumnKind.Timestamp => TypeCommentPrefix + "timestamp",
        _ => null,
    };

    /// <summary>A column definition for CREATE TABLE: Nullable unless declared not null, with its type comment.</summary>
    public string ColumnDefinition(ColumnSpec column)
    {
        var type = TypeName(column.Type);
        var comment = TypeComment(column.Type);
        return $"{((ISqlDialect)this).Quote(column.Name)} {(column.Nullable ? $"Nullable({type})" : type)}{(comment is null ? "" : $" comment {Literal(comment)}")}";
    }

    /// <inheritdoc />
    public ColumnType ParseType(string dataType, int? precision, int? scale) => ParseType(dataType, null);

    /// <summary>Reads a ClickHouse type (Nullable and LowCardinality unwrapped) and the column's comment back into a column type.</summary>
    public static ColumnType ParseType(string dataType, string? comment)
    {
        var type = Unwrap(dataType.Trim());
        if (comment is not null && comment.StartsWith(TypeCommentPrefix, StringComparison.Ordinal))
        {
            switch (comment[TypeCommentPrefix.Length..])
            {
                case "binary": return ColumnType.Binary;
                case "json": return ColumnType.Json;
                case "time": return ColumnType.Time;
                case "interval": return ColumnType.Interval;
                case "timestamp": return ColumnType.Timestamp;
            }
        }

        if (type.StartsWith("Decimal", StringComparison.Ordinal))
        {
            var (p, s) = DecimalPrecision(type);
            return ColumnType.Decimal(p, s);
        }

        if (type.StartsWith("DateTime", StringComparison.Ordinal))
        {
            return ColumnType.TimestampTz;
        }

        return type switch
        {
            "UInt8" => ColumnType.Boolean,
            "Int8" or "Int16" => ColumnType.SmallInt,
            "UInt16" or "Int32" => ColumnType.Integer,
            "UInt32" or "Int64" or "UInt64" => ColumnType.BigInt,
            "Float32" => ColumnType.Real,
            "Float64" => ColumnType.Double,
            "Date" => ColumnType.Date,
            "UUID" => ColumnType.Uuid,
            _ => ColumnType.Text,
        };
    }

    /// <summary>The type inside Nullable(…) and LowCardinality(…).</summary>
    public static string Unwrap(string type)
    {
        while (true)
        {
            if (type.StartsWith("Nullable(", StringComparison.Ordinal) && type.EndsWith(')'))
            {
                type = type["Nullable(".Length..^1];
            }
            else if (type.StartsWith("LowCardinality(", StringComparison.Ordinal) && type.EndsWith(')'))
            {
                type = type["LowCardinality(".Length..^1];
            }
            else
            {
                return type;
            }
        }
    }

    /// <summary>Precision and scale of Decimal(P, S), Decimal32(S), Decimal64(S) or Decimal128(S).</summary>
    public static (int Precision, int Scale) DecimalPrecision(string type)
    {
        var open = type.IndexOf('(', StringComparison.Ordinal);
        var arguments = type[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
        if (arguments.Length == 2)
        {
            return (int.Parse(arguments[0], CultureInfo.InvariantCulture), int.Parse(arguments[1], CultureInfo.InvariantCulture));
        }

        var scale = int.Parse(arguments[0], CultureInfo.InvariantCulture);
        return (type[..open] switch { "Decimal32" => 9, "Decimal64" => 18, _ => 38 }, scale);
    }
}

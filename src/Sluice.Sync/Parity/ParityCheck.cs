using System.Globalization;
using System.Numerics;
using Npgsql;
using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.Sync.Engine;
using Sluice.Sync.Postgres;
using Sluice.Warehouses.Postgres;

namespace Sluice.Sync.Parity;

/// <summary>
/// Compares a source table with its raw table: live rows in total and per UTC day of the parity
/// date column, each with a checksum of the primary keys (the sum of 60 bits of each key's MD5).
/// Both sides aggregate in their own engine; only one row per day crosses the wire.
/// </summary>
internal static class ParityCheck
{
    // Key types whose text is spelled the same by PostgreSQL and every warehouse.
    private static readonly ColumnKind[] ChecksumKinds =
        [ColumnKind.SmallInt, ColumnKind.Integer, ColumnKind.BigInt, ColumnKind.Text, ColumnKind.Uuid, ColumnKind.Date, ColumnKind.Boolean];

    private static readonly ColumnKind[] DayKinds = [ColumnKind.Date, ColumnKind.Timestamp, ColumnKind.TimestampTz];

    /// <summary>Stops a table whose parity date column is not a date or a timestamp, before anything is written.</summary>
    public static void Validate(SyncTableDefinition definition, SourceTable table)
    {
        if (definition.ParityDateColumn is { } name && table.Column(name) is { } column && !DayKinds.Contains(column.Type.Kind))
        {
            throw new SourceException(
                $"{definition.Location}: parity date_column '{name}' of {table.QualifiedName} has type {column.SourceType}; choose a date, timestamp or timestamptz column.")
            {
                IsUserFault = true,
            };
        }
    }

    /// <summary>An expression for the UTC calendar day of a date or time column, the same on every engine.</summary>
    public static string DayOf(ISqlDialect dialect, string quotedColumn, ColumnKind kind) => dialect.UtcDay(quotedColumn, kind);

    /// <summary>The condition that selects a source row Sluice would hold as live (not soft-deleted).</summary>
    public static string SourceLive(SyncTableDefinition definition, SourceTable table)
    {
        if (definition.SoftDeleteColumn is not { } name)
        {
            return "true";
        }

        var quoted = PostgresTypes.Quote(name);
        return table.Column(name)!.Type.Kind == ColumnKind.Boolean ? $"({quoted} is null or not {quoted})" : $"{quoted} is null";
    }

    /// <summary>Counts and checksums both sides and pairs them by day.</summary>
    public static async Task<ParityReport> RunAsync(
        IWarehouseSession session,
        PostgresSource source,
        SyncTableDefinition definition,
        SourceTable table,
        IReadOnlyList<string> keys,
        TableName raw,
        CancellationToken cancellationToken)
    {
        var date = definition.ParityDateColumn is { } dateName ? table.Column(dateName) : null;
        var checksum = keys.Count > 0 && keys.All(k => table.Column(k) is { } c && ChecksumKinds.Contains(c.Type.Kind));
        var dayKind = date?.Type.Kind;
        var sourceSql = CountSql(PostgresDialect.Instance, table.QuotedName, date?.Name, dayKind, checksum ? keys : null, SourceLive(definition, table));
        Counts sourceSide;
        await using (var connection = await source.OpenAsync(cancellationToken))
        {
            try
            {
                await using var command = new NpgsqlCommand(sourceSql, connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                sourceSide = await ReadAsync(reader, cancellationToken);
            }
            catch (NpgsqlException e)
            {
                throw source.Translate(e, $"checking parity of {table.QualifiedName}");
            }
        }

        var warehouseSide = await WarehouseCountsAsync(session, raw, date?.Name, dayKind, checksum ? keys : null, cancellationToken);
        return Pair(source.Definition.Name, definition.Name, date?.Name, checksum, sourceSide, warehouseSide);
    }

    /// <summary>Key types whose text every engine spells alike, so that their checksums compare.</summary>
    public static bool HasComparableText(ColumnKind kind) => ChecksumKinds.Contains(kind);

    /// <summary>Whether a parity date column may be of this type.</summary>
    public static bool IsDayKind(ColumnKind kind) => DayKinds.Contains(kind);

    /// <summary>The counts of the raw table's live rows, per day and in total.</summary>
    public static async Task<Counts> WarehouseCountsAsync(IWarehouseSession session, TableName raw, string? dateColumn, ColumnKind? dayKind, IReadOnlyList<string>? checksumKeys, CancellationToken cancellationToken)
    {
        var dialect = session.Warehouse.Dialect;
        await using var reader = await session.QueryAsync(CountSql(dialect, dialect.Quote(raw), dateColumn, dayKind, checksumKeys, $"{dialect.Quote(RawTables.DeletedAt)} is null"), null, cancellationToken);
        return await ReadAsync(reader, cancellationToken);
    }

    /// <summary>The report pairing both sides' counts day by day.</summary>
    public static ParityReport Pair(string source, string table, string? dateColumn, bool checksum, Counts sourceSide, Counts warehouseSide)
    {
        var days = sourceSide.Days.Keys.Union(warehouseSide.Days.Keys).Order().Select(day =>
        {
            var s = sourceSide.Days.GetValueOrDefault(day);
            var w = warehouseSide.Days.GetValueOrDefault(day);
            return new ParityDay(day, s.Count, w.Count, s.Checksum ?? Zero(checksum), w.Checksum ?? Zero(checksum));
        }).ToList();
        var total = new ParityDay(null, sourceSide.Total.Count, warehouseSide.Total.Count, Text(sourceSide.Total.Checksum, checksum), Text(warehouseSide.Total.Checksum, checksum));
        return new ParityReport(source, table, DateTime.UtcNow, dateColumn, total, days);
    }

    private static string? Zero(bool checksum) => checksum ? "0" : null;

    private static string? Text(BigInteger? sum, bool checksum) => checksum ? (sum ?? BigInteger.Zero).ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>SQL counting live rows (and summing key checksums) per day of <paramref name="dateColumn"/> and in total.</summary>
    public static string CountSql(ISqlDialect dialect, string from, string? dateColumn, ColumnKind? dayKind, IReadOnlyList<string>? checksumKeys, string live)
    {
        var day = dateColumn is null ? dialect.TypedNull(ColumnType.Date) : DayOf(dialect, dialect.Quote(dateColumn), dayKind!.Value);
        var sum = dialect.TypedNull(ColumnType.Text);
        if (checksumKeys is not null)
        {
            var texts = checksumKeys.Select(k => dialect.TextOf(dialect.Quote(k))).ToList();
            var text = texts.Count == 1 ? texts[0] : dialect.JoinTexts("|", texts);
            sum = dialect.ExactSumText(dialect.Md5Bits(text));
        }

        // Grouped by the expression, not by its position or alias, which engines read differently;
        // the aliases are names no column has, since ClickHouse lets an alias hide a column.
        var sql = $"select {day} as _sluice_day, count(*) as _sluice_rows, {sum} as _sluice_checksum from {from} where {live}";
        return dateColumn is null ? sql : $"{sql} group by {day}";
    }

    /// <summary>Reads the rows of <see cref="CountSql"/>.</summary>
    public static async Task<Counts> ReadAsync(System.Data.Common.DbDataReader reader, CancellationToken cancellationToken)
    {
        var days = new Dictionary<DateOnly, (long, string?)>();
        long count = 0;
        BigInteger? checksum = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var n = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            var sum = reader.IsDBNull(2) ? null : reader.GetString(2);
            count += n;
            if (sum is not null)
            {
                checksum = (checksum ?? BigInteger.Zero) + BigInteger.Parse(sum, CultureInfo.InvariantCulture);
            }

            if (!reader.IsDBNull(0))
            {
                var day = reader.GetValue(0) switch
                {
                    DateOnly d => d,
                    DateTime t => DateOnly.FromDateTime(t),
                    var other => throw new InvalidCastException($"Unexpected day value {other.GetType().Name} in a parity count."),
                };
                days[day] = (n, sum);
            }
        }

        return new Counts(days, (count, checksum));
    }
}

/// <summary>One side's live rows: per day (with the key checksum as text) and in total.</summary>
/// <param name="Days">Rows and checksum per day of the date column.</param>
/// <param name="Total">Rows and checksum of the whole table.</param>
internal sealed record Counts(IReadOnlyDictionary<DateOnly, (long Count, string? Checksum)> Days, (long Count, BigInteger? Checksum) Total)
{
    /// <summary>No rows.</summary>
    public static Counts None { get; } = new(new Dictionary<DateOnly, (long, string?)>(), (0, null));

    /// <summary>The counts of both parts of a side counted in parts: rows and checksums add up, day by day.</summary>
    public Counts Plus(Counts other)
    {
        var days = new Dictionary<DateOnly, (long Count, string? Checksum)>(Days);
        foreach (var (day, (count, sum)) in other.Days)
        {
            days[day] = days.TryGetValue(day, out var had) ? (had.Count + count, Add(had.Checksum, sum)) : (count, sum);
        }

        BigInteger? total = Total.Checksum is null && other.Total.Checksum is null ? null : (Total.Checksum ?? BigInteger.Zero) + (other.Total.Checksum ?? BigInteger.Zero);
        return new Counts(days, (Total.Count + other.Total.Count, total));
    }

    private static string? Add(string? a, string? b) =>
        a is null ? b
        : b is null ? a
        : (BigInteger.Parse(a, CultureInfo.InvariantCulture) + BigInteger.Parse(b, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
}

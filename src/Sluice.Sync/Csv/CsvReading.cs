using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.DuckDb;
using Sluice.Warehouses.DuckDb;

namespace Sluice.Sync.Csv;

/// <summary>One CSV column: its header text, the name it lands as, and its type.</summary>
public sealed record CsvColumn(string Header, string Name, ColumnType Type);

/// <summary>
/// Reads CSV files with DuckDB's CSV reader: it detects column types, and with the dialect
/// fixed and strict mode on it rejects malformed rows rather than guessing. The same SELECT
/// runs inside a DuckDB warehouse, or on a private in-memory DuckDB whose rows are streamed
/// into another warehouse's bulk load.
/// </summary>
public sealed partial class CsvReading
{
    private static readonly System.Collections.Concurrent.ConcurrentBag<DuckDbConnection> Pool = [];

    // Headers are arbitrary text; the dialect's quoting escapes them rather than validating.
    private static readonly ISqlDialect DuckDb = DuckDbDialect.Instance;

    private readonly CsvSourceDefinition _source;
    private readonly CsvFile _file;

    private CsvReading(CsvSourceDefinition source, CsvFile file, IReadOnlyList<CsvColumn> columns)
    {
        _source = source;
        _file = file;
        Columns = columns;
    }

    /// <summary>The file's columns as they land.</summary>
    public IReadOnlyList<CsvColumn> Columns { get; }

    /// <summary>Detects the file's columns and types, applying the declared types.</summary>
    public static async Task<CsvReading> OpenAsync(CsvSourceDefinition source, CsvFile file, CancellationToken cancellationToken)
    {
        using var memory = RentMemory();
        return await OpenAsync(source, file, memory.Connection, cancellationToken);
    }

    /// <summary>Detects the file's columns on <paramref name="connection"/>, an in-memory DuckDB the caller reuses across files.</summary>
    public static async Task<CsvReading> OpenAsync(CsvSourceDefinition source, CsvFile file, DuckDbConnection connection, CancellationToken cancellationToken)
    {
        var declared = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        foreach (var (column, text) in source.Columns)
        {
            declared[column] = ParseDeclaredType(text)
                ?? throw new ConfigurationException(
                    $"{source.Location}: {source.ColumnsSetting}.{column}: '{text}' is not a type Sluice knows; use boolean, smallint, integer, bigint, real, double, decimal(p,s), text, date, time, timestamp, timestamptz, uuid or json.");
        }

        var detected = new List<(string Header, string Type)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "describe select * from " + ReadCsv(file.FullPath, source.Format, []);
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    detected.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
            catch (DuckDbException e)
            {
                throw Problem(source, file, e.Message);
            }
        }

        var columns = new List<CsvColumn>();
        foreach (var (header, type) in detected)
        {
            var name = CsvFiles.Normalize(header);
            if (!Identifier.IsValid(name) || columns.Any(c => c.Name == name))
            {
                name = $"column{columns.Count + 1}";
            }

            var columnType = declared.TryGetValue(name, out var wanted) ? wanted : DuckDbDialect.Instance.ParseType(type, null, null);
            columns.Add(new CsvColumn(header, name, columnType));
        }

        foreach (var name in declared.Keys.Where(d => !columns.Any(c => c.Name == d)))
        {
            throw new ConfigurationException(
                $"{source.Location}: {source.ColumnsSetting} names '{name}', which {file.Name} does not have; its columns are {string.Join(", ", columns.Select(c => c.Name))}.");
        }

        return new CsvReading(source, file, columns);
    }

    /// <summary>The SELECT list and FROM clause that read the file with every column cast to its type.</summary>
    public string SelectSql(string extraColumns) => SelectSql(extraColumns, null);

    /// <summary>As <see cref="SelectSql(string)"/>, selecting only <paramref name="only"/> (by landed name, in that order) when given; none selects a constant per row.</summary>
    public string SelectSql(string extraColumns, IReadOnlyList<string>? only)
    {
        var selected = only is null ? Columns : only.Select(name => Columns.First(c => c.Name == name)).ToList();
        var list = selected.Count == 0 ? "1 as present" : string.Join(", ", selected.Select(c => $"{DuckDb.Quote(c.Header)} as {DuckDb.Quote(c.Name)}"));
        return $"select {list}{extraColumns} from "
            + ReadCsv(_file.FullPath, _source.Format, Columns.Select(c => (c.Header, c.Type)).ToList());
    }

    /// <summary>A private in-memory DuckDB for reading files, as <see cref="OpenAsync(CsvSourceDefinition, CsvFile, DuckDbConnection, CancellationToken)"/> takes it.</summary>
    public static DuckDbConnection OpenMemory()
    {
        var connection = new DuckDbConnection("Data Source=:memory:");
        connection.Open();
        return connection;
    }

    /// <summary>
    /// An in-memory DuckDB for reading files, from a pool the process keeps: opening a database
    /// costs more than reading a small file, and a sync of a few changed files would spend most
    /// of its time on it. Dispose the lease to give the connection back.
    /// </summary>
    public static MemoryLease RentMemory() => new(Pool.TryTake(out var connection) ? connection : OpenMemory());

    /// <summary>Puts a rented connection back in the pool.</summary>
    internal static void GiveBack(DuckDbConnection connection) => Pool.Add(connection);

    /// <summary>Streams the file's rows from a private in-memory DuckDB, with <paramref name="extraSlots"/> free places per row.</summary>
    public async IAsyncEnumerable<object?[]> ReadRowsAsync(int extraSlots, Action<object?[]> complete, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var memory = RentMemory();
        await using var command = memory.Connection.CreateCommand();
        command.CommandText = SelectSql(string.Empty);
        DuckDbDataReader reader;
        try
        {
            reader = (DuckDbDataReader)await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (DuckDbException e)
        {
            throw Problem(_source, _file, e.Message);
        }

        await using (reader)
        {
            while (true)
            {
                try
                {
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        break;
                    }
                }
                catch (DuckDbException e)
                {
                    throw Problem(_source, _file, e.Message);
                }

                var row = new object?[Columns.Count + extraSlots];
                for (var i = 0; i < Columns.Count; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                complete(row);
                yield return row;
            }
        }
    }

    /// <summary>
    /// A one-line error for a file DuckDB could not read: <c>file:line: problem</c>, with the
    /// line and column from DuckDB's message, or found by scanning the file's structure.
    /// </summary>
    public static SourceException Problem(CsvSourceDefinition source, CsvFile file, string message)
    {
        var line = LinePattern().Match(message);
        var conversion = ConversionPattern().Match(message);
        string text;
        if (line.Success && conversion.Success)
        {
            text = $"{file.Name}:{line.Groups[1].Value}: column \"{conversion.Groups[1].Value}\": {conversion.Groups[2].Value.TrimEnd('.')}; fix the row, or declare the column's type under {source.ColumnsSetting}";
        }
        else if (CsvStructure.FindProblem(file.FullPath, source.Format) is { } problem)
        {
            text = $"{file.Name}:{problem.Line}: {problem.Problem}; fix the row (and check {source.SettingsName}.delimiter and quote)";
        }
        else if (line.Success)
        {
            text = $"{file.Name}:{line.Groups[1].Value}: {FirstLine(message)}";
        }
        else
        {
            text = $"{file.Name}: {FirstLine(message)}; check that it is a CSV file with {source.SettingsName}'s delimiter, quote and header settings";
        }

        return new SourceException($"{source.DisplayName}: {text}; nothing from this file was loaded.") { IsUserFault = true };
    }

    /// <summary>Parses a type written in sluice.yml; null when unknown.</summary>
    public static ColumnType? ParseDeclaredType(string text)
    {
        var normalized = text.Trim().ToLowerInvariant();
        var decimalMatch = DecimalPattern().Match(normalized);
        if (decimalMatch.Success)
        {
            var precision = int.Parse(decimalMatch.Groups[1].Value, CultureInfo.InvariantCulture);
            var scale = decimalMatch.Groups[2].Success ? int.Parse(decimalMatch.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            return precision is >= 1 and <= 38 && scale <= precision ? ColumnType.Decimal(precision, scale) : null;
        }

        if (VarcharPattern().IsMatch(normalized))
        {
            return ColumnType.Text;
        }

        return normalized switch
        {
            "boolean" or "bool" => ColumnType.Boolean,
            "smallint" => ColumnType.SmallInt,
            "integer" or "int" => ColumnType.Integer,
            "bigint" => ColumnType.BigInt,
            "real" or "float" => ColumnType.Real,
            "double" or "double precision" => ColumnType.Double,
            "text" or "varchar" or "string" => ColumnType.Text,
            "date" => ColumnType.Date,
            "time" => ColumnType.Time,
            "timestamp" => ColumnType.Timestamp,
            "timestamptz" or "timestamp with time zone" => ColumnType.TimestampTz,
            "uuid" => ColumnType.Uuid,
            "json" => ColumnType.Json,
            _ => null,
        };
    }

    // Every read names the dialect instead of letting DuckDB guess it, and keeps strict mode on so
    // that a malformed row stops the load. The load pass gives every column's type, so that a
    // value that does not fit is reported with its line rather than failing a later cast.
    private static string ReadCsv(string path, CsvFormat format, IReadOnlyList<(string Header, ColumnType Type)> types)
    {
        var sql = new StringBuilder("read_csv(");
        sql.Append(Literal(path));
        sql.Append(", header = ").Append(format.Header ? "true" : "false");
        sql.Append(", delim = ").Append(Literal(format.Delimiter.ToString()));
        sql.Append(", quote = ").Append(Literal(format.Quote.ToString()));
        sql.Append(", escape = ").Append(Literal(format.Quote.ToString()));
        sql.Append(", strict_mode = true, skip = 0, null_padding = false");
        if (types.Count > 0)
        {
            sql.Append(", types = {");
            sql.AppendJoin(", ", types.Select(t => $"{Literal(t.Header)}: {Literal(DuckDbDialect.Instance.TypeName(t.Type))}"));
            sql.Append('}');
        }

        return sql.Append(')').ToString();
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).Trim().TrimEnd('.');
    }

    [GeneratedRegex(@"CSV Error on Line: (\d+)")]
    private static partial Regex LinePattern();

    [GeneratedRegex("Error when converting column \"(.+?)\"\\.\\s*(.+)")]
    private static partial Regex ConversionPattern();

    [GeneratedRegex(@"^(?:varchar|character varying|char|character)\s*\(\s*\d+\s*\)$")]
    private static partial Regex VarcharPattern();

    [GeneratedRegex(@"^(?:decimal|numeric)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$")]
    private static partial Regex DecimalPattern();
}

/// <summary>An in-memory DuckDB taken from the pool; disposing it gives the connection back.</summary>
/// <param name="connection">The connection, open.</param>
public sealed class MemoryLease(DuckDbConnection connection) : IDisposable
{
    /// <summary>The connection, for this lease's holder alone.</summary>
    public DuckDbConnection Connection { get; } = connection;

    /// <inheritdoc />
    public void Dispose() => CsvReading.GiveBack(Connection);
}

using System.Globalization;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>
/// What a rendering may ask the warehouse while it renders — <c>run_query</c>, <c>statement</c>
/// blocks, <c>adapter.get_columns_in_relation</c> — answered synchronously, as Jinja calls them.
/// Only runs and compiles have one; while a project is parsed, <c>execute</c> is false and
/// these calls return nothing, as in dbt.
/// </summary>
public interface ITemplateWarehouse
{
    /// <summary>Runs <paramref name="sql"/> and returns its rows (none for a statement without a result).</summary>
    QueryTable Query(string sql);

    /// <summary>The columns of <paramref name="table"/> in order, or null when there is no such table or view.</summary>
    IReadOnlyList<TemplateColumn>? Columns(TableName table);
}

/// <summary>A warehouse column as dbt's <c>Column</c> shows it to macros.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="DataType">Its type as the warehouse names it.</param>
public sealed record TemplateColumn(string Name, string DataType) : ITemplateObject
{
    private static readonly string[] StringTypes = ["char", "text", "string", "varchar"];
    private static readonly string[] IntegerTypes = ["int", "serial"];
    private static readonly string[] FloatTypes = ["float", "double", "real"];

    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "name" or "column" => Name,
        "data_type" or "dtype" => DataType,
        "quoted" => "\"" + Name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        "is_string" => Predicate(() => Has(StringTypes)),
        "is_integer" => Predicate(() => Has(IntegerTypes)),
        "is_float" => Predicate(() => Has(FloatTypes)),
        "is_numeric" => Predicate(() => Has(["numeric", "decimal"])),
        "is_number" => Predicate(() => Has([.. IntegerTypes, .. FloatTypes, "numeric", "decimal"])),
        "char_size" or "numeric_precision" or "numeric_scale" => null,
        "string_size" => (TemplateFunction)(call => Has(StringTypes) ? 256L : throw call.Error($"string_size() of '{Name}', a {DataType} column: only text columns have a size")),
        "can_expand_to" => (TemplateFunction)(_ => false),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => $"<Column {Name} ({DataType})>";

    private static TemplateFunction Predicate(Func<bool> test) => _ => test();

    private bool Has(IEnumerable<string> parts) => parts.Any(p => DataType.Contains(p, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The rows <c>run_query</c> returns, shaped as dbt's agate table: <c>rows</c>, <c>columns</c>, <c>column_names</c>.</summary>
public sealed class QueryTable : ITemplateObject
{
    /// <summary>A table of <paramref name="names"/> and <paramref name="rows"/> (each row's values in column order).</summary>
    public QueryTable(IReadOnlyList<string> names, IReadOnlyList<object?[]> rows)
    {
        Names = names;
        Rows = [.. rows.Select(r => new QueryRow(names, [.. r.Select(ToTemplateValue)]))];
        Columns = new QueryColumns([.. names.Select((name, i) => new QueryColumn(name, [.. Rows.Select(r => r[i])]))]);
    }

    /// <summary>The column names.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The rows.</summary>
    public IReadOnlyList<QueryRow> Rows { get; }

    /// <summary>The columns, by position or by name.</summary>
    public QueryColumns Columns { get; }

    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "rows" => Rows.Cast<object?>().ToList(),
        "columns" => Columns,
        "column_names" => Names.Cast<object?>().ToList(),
        "print_table" => (TemplateFunction)(_ => string.Empty),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => $"<table of {Rows.Count} rows>";

    /// <summary>A value read from the warehouse as templates hold it.</summary>
    public static object? ToTemplateValue(object? value) => value switch
    {
        null or DBNull => null,
        string or bool or long or double => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        float f => (double)f,
        decimal d => decimal.Truncate(d) == d && Math.Abs(d) < long.MaxValue ? (object)(long)d : (double)d,
        System.Numerics.BigInteger big => (long)big,
        DateTime time => time.TimeOfDay == TimeSpan.Zero && time.Kind != DateTimeKind.Utc
            ? time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset offset => offset.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}

/// <summary>A row of a <see cref="QueryTable"/>: values by position (<c>row[0]</c>) or by column name (<c>row['id']</c>).</summary>
public sealed class QueryRow(IReadOnlyList<string> names, IReadOnlyList<object?> values) : IReadOnlyList<object?>, ITemplateObject
{
    /// <inheritdoc />
    public int Count => values.Count;

    /// <inheritdoc />
    public object? this[int index] => values[index];

    /// <inheritdoc />
    public object? Attribute(string name) => names.ToList().IndexOf(name) is var i and >= 0 ? values[i] : TemplateValues.Missing;

    /// <inheritdoc />
    public string Render() => TemplateValues.Repr(values);

    /// <inheritdoc />
    public IEnumerator<object?> GetEnumerator() => values.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The columns of a <see cref="QueryTable"/>, by position or name.</summary>
public sealed class QueryColumns(IReadOnlyList<QueryColumn> columns) : IReadOnlyList<object?>, ITemplateObject
{
    /// <inheritdoc />
    public int Count => columns.Count;

    /// <inheritdoc />
    public object? this[int index] => columns[index];

    /// <inheritdoc />
    public object? Attribute(string name) => columns.FirstOrDefault(c => c.Name == name) ?? TemplateValues.Missing;

    /// <inheritdoc />
    public string Render() => "<columns " + string.Join(", ", columns.Select(c => c.Name)) + ">";

    /// <inheritdoc />
    public IEnumerator<object?> GetEnumerator() => columns.Cast<object?>().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A column of a <see cref="QueryTable"/>: its <c>name</c> and <c>values()</c>.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Values">Its values, row by row.</param>
public sealed record QueryColumn(string Name, IReadOnlyList<object?> Values) : ITemplateObject
{
    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "name" => Name,
        "values" => (TemplateFunction)(_ => Values.ToList()),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => $"<column {Name}>";
}

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

    /// <summary>A string literal: <c>'it''s'</c>.</summary>
    string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>Reads an engine type name (as information_schema reports it) back into a column type.</summary>
    ColumnType ParseType(string dataType, int? precision, int? scale);
}

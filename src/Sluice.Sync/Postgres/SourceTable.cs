namespace Sluice.Sync.Postgres;

/// <summary>A source table as found in the source's catalog.</summary>
/// <param name="Schema">The schema.</param>
/// <param name="Name">The table.</param>
/// <param name="Columns">Every column Sluice copies, in the table's order.</param>
/// <param name="PrimaryKey">The table's primary key columns, empty when it has none.</param>
/// <param name="EstimatedRows">The planner's row estimate, for progress; null when never analyzed.</param>
public sealed record SourceTable(string Schema, string Name, IReadOnlyList<SourceColumn> Columns, IReadOnlyList<string> PrimaryKey, long? EstimatedRows)
{
    /// <summary>schema.table, as messages show it.</summary>
    public string QualifiedName => $"{Schema}.{Name}";

    /// <summary>The column named <paramref name="name"/>, or null.</summary>
    public SourceColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>The quoted schema-qualified name for SQL.</summary>
    public string QuotedName => $"{PostgresTypes.Quote(Schema)}.{PostgresTypes.Quote(Name)}";
}

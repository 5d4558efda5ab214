using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>
/// A table or view as templates see it: <c>{{ ref('orders') }}</c> and <c>{{ this }}</c> write
/// its quoted, schema-qualified name; <c>.schema</c>, <c>.name</c> and <c>.identifier</c> give the parts.
/// </summary>
/// <param name="Table">The schema and name in the warehouse.</param>
public sealed record Relation(TableName Table) : ITemplateObject
{
    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "schema" => Table.Schema,
        "name" or "identifier" or "table" => Table.Name,
        "database" => string.Empty,
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => Quoted(Table);

    /// <summary>The SQL text of a table name, quoted as both warehouses read it.</summary>
    public static string Quoted(TableName table) => $"\"{Escape(table.Schema)}\".\"{Escape(table.Name)}\"";

    private static string Escape(string identifier) => identifier.Replace("\"", "\"\"", StringComparison.Ordinal);
}

/// <summary>What <c>ref()</c> returns for an ephemeral model: the name of the CTE it becomes.</summary>
/// <param name="Name">The CTE's name.</param>
public sealed record EphemeralRelation(string Name) : ITemplateObject
{
    /// <summary>The CTE name dbt gives an ephemeral model.</summary>
    public static string CteName(string model) => $"__dbt__cte__{model}";

    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "name" or "identifier" or "table" => Name,
        "schema" or "database" => string.Empty,
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => Name;
}

/// <summary>
/// A relation narrowed by a test's <c>where</c>, as dbt's <c>get_where_subquery</c> hands it to
/// a generic test: it renders as <c>(select * from relation where filter) dbt_subquery</c>, and
/// its parts (<c>.schema</c>, <c>.name</c>) and catalog reads are those of the relation.
/// </summary>
/// <param name="Relation">The relation: a <see cref="Models.Relation"/> or an <see cref="EphemeralRelation"/>.</param>
/// <param name="Filter">The SQL condition.</param>
public sealed record FilteredRelation(ITemplateObject Relation, string Filter) : ITemplateObject
{
    /// <inheritdoc />
    public object? Attribute(string name) => Relation.Attribute(name);

    /// <inheritdoc />
    public string Render() => $"(select * from {Relation.Render()} where {Filter}) dbt_subquery";
}

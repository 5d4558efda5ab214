using System.Collections;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>
/// A relation as dbt's macros see it: <c>{{ rel }}</c> writes its name; <c>.schema</c>,
/// <c>.name</c>, <c>.identifier</c>, <c>.database</c>, <c>.is_cte</c>, <c>.render()</c> give its
/// parts; and, as in dbt, it is also a mapping whose <c>metadata.type</c> ends in "Relation"
/// (dbt_utils checks arguments that way).
/// </summary>
public abstract record RelationValue : ITemplateObject, IReadOnlyDictionary<string, object?>
{
    /// <summary>The relation's name.</summary>
    public abstract string Identifier { get; }

    /// <summary>Its schema; empty for a CTE.</summary>
    public abstract string SchemaName { get; }

    /// <summary>Whether it is a CTE (an ephemeral model) rather than a table or view.</summary>
    public abstract bool IsCte { get; }

    /// <inheritdoc />
    public int Count => Entries.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => Entries.Keys;

    /// <inheritdoc />
    public IEnumerable<object?> Values => Entries.Values;

    private IReadOnlyDictionary<string, object?> Entries => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["metadata"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = "Relation" },
        ["path"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["database"] = string.Empty, ["schema"] = SchemaName, ["identifier"] = Identifier },
        ["type"] = IsCte ? "cte" : null,
        ["database"] = string.Empty,
        ["schema"] = SchemaName,
        ["identifier"] = Identifier,
    };

    /// <inheritdoc />
    public object? this[string key] => Entries[key];

    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "schema" => SchemaName,
        "name" or "identifier" or "table" => Identifier,
        "database" => string.Empty,
        "is_cte" => IsCte,
        "is_table" or "is_view" or "is_materialized_view" => false,
        "type" => IsCte ? "cte" : null,
        "render" or "quote" or "include" or "incorporate" => (TemplateFunction)(_ => this),
        "metadata" => Entries["metadata"],
        "path" => Entries["path"],
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public abstract string Render();

    /// <inheritdoc />
    public string MissingAttribute(string name) => $"a relation has no attribute '{name}'";

    /// <inheritdoc />
    public bool ContainsKey(string key) => Entries.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out object? value) => Entries.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A table or view: <c>{{ ref('orders') }}</c> and <c>{{ this }}</c> write its quoted, schema-qualified name.</summary>
/// <param name="Table">The schema and name in the warehouse.</param>
public sealed record Relation(TableName Table) : RelationValue
{
    /// <inheritdoc />
    public override string Identifier => Table.Name;

    /// <inheritdoc />
    public override string SchemaName => Table.Schema;

    /// <inheritdoc />
    public override bool IsCte => false;

    /// <inheritdoc />
    public override string Render() => Quoted(Table);

    /// <summary>The SQL text of a table name, quoted as both warehouses read it.</summary>
    public static string Quoted(TableName table) => $"\"{Escape(table.Schema)}\".\"{Escape(table.Name)}\"";

    private static string Escape(string identifier) => identifier.Replace("\"", "\"\"", StringComparison.Ordinal);
}

/// <summary>What <c>ref()</c> returns for an ephemeral model: the name of the CTE it becomes.</summary>
/// <param name="Name">The CTE's name.</param>
public sealed record EphemeralRelation(string Name) : RelationValue
{
    /// <summary>The prefix of the CTE name dbt gives an ephemeral model.</summary>
    public const string Prefix = "__dbt__cte__";

    /// <summary>The CTE name dbt gives an ephemeral model.</summary>
    public static string CteName(string model) => Prefix + model;

    /// <inheritdoc />
    public override string Identifier => Name;

    /// <inheritdoc />
    public override string SchemaName => string.Empty;

    /// <inheritdoc />
    public override bool IsCte => true;

    /// <inheritdoc />
    public override string Render() => Name;
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

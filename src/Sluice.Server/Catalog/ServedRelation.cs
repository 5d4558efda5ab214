using Sluice.Core.Models;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Catalog;

/// <summary>
/// A relation the server reads, as the warehouse described it when the server started: its
/// table and columns, spelt as the engine spells them, and its tenant column when rows are per tenant.
/// </summary>
/// <param name="Reference">The model or source it is.</param>
/// <param name="Table">Its table or view.</param>
/// <param name="Columns">Its columns, in order.</param>
/// <param name="Tenant">The column scoping rows to a tenant, or null.</param>
public sealed record ServedRelation(RelationReference Reference, TableName Table, IReadOnlyList<ColumnSpec> Columns, ColumnSpec? Tenant)
{
    /// <summary>The column named <paramref name="name"/> (in any case), or null.</summary>
    public ColumnSpec? Find(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
        ?? Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The columns' names, for messages.</summary>
    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));
}

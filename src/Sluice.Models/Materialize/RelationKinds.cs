using System.Collections.Concurrent;
using Sluice.Core.Warehouse;

namespace Sluice.Models.Materialize;

/// <summary>
/// What the run's models are in the warehouse (table, view or nothing). On an engine with a
/// single writer (DuckDB), nobody else changes the catalog while the run holds the file, so the
/// kinds are read once per schema and then kept current by the run's own builds: a catalog
/// lookup there costs milliseconds and grows with the number of relations. On other engines
/// every question goes to the catalog.
/// </summary>
public sealed class RelationKinds
{
    private readonly bool _remember;
    private readonly ConcurrentDictionary<string, bool> _loadedSchemas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TableName, RelationKind> _kinds = new();

    /// <summary>Kinds for a run on <paramref name="warehouse"/>.</summary>
    public RelationKinds(IWarehouse warehouse)
    {
        _remember = !warehouse.Capabilities.ConcurrentWriters;
    }

    /// <summary>
    /// Reads the kinds of every relation in <paramref name="schemas"/> at once, when they can be
    /// remembered; what an earlier run remembered is forgotten first.
    /// </summary>
    public async Task LoadAsync(IWarehouseSession session, IEnumerable<string> schemas, CancellationToken cancellationToken)
    {
        _loadedSchemas.Clear();
        _kinds.Clear();
        if (!_remember)
        {
            return;
        }

        foreach (var schema in schemas.Distinct(StringComparer.Ordinal))
        {
            await using (var reader = await session.QueryAsync(
                session.Warehouse.Dialect.RelationsQuery,
                [schema],
                cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    _kinds[new TableName(schema, reader.GetString(0))] = Relations.KindOf(reader.GetString(1));
                }
            }

            _loadedSchemas[schema] = true;
        }
    }

    /// <summary>What <paramref name="table"/> is now.</summary>
    public async Task<RelationKind> KindAsync(IWarehouseSession session, TableName table, CancellationToken cancellationToken)
    {
        if (_remember && _loadedSchemas.ContainsKey(table.Schema))
        {
            return _kinds.GetValueOrDefault(table, RelationKind.None);
        }

        return await Relations.KindAsync(session, table, cancellationToken);
    }

    /// <summary>Records what a committed build left <paramref name="table"/> as.</summary>
    public void Set(TableName table, RelationKind kind) => _kinds[table] = kind;

    /// <summary>
    /// Forgets what <paramref name="table"/> is, after a build failed at a point where it may or
    /// may not have changed it: the next question goes to the catalog.
    /// </summary>
    public void Forget(TableName table)
    {
        _kinds.TryRemove(table, out _);
        _loadedSchemas.TryRemove(table.Schema, out _);
    }
}

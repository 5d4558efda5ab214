using Npgsql;
using Sluice.Core.Warehouse;

namespace Sluice.Sync.Postgres;

/// <summary>
/// A column of a source table as Sluice copies it: the type it lands as, the expression that
/// selects it in the COPY query, and how its binary value is read.
/// </summary>
/// <param name="Name">The column's name.</param>
/// <param name="SourceType">The type as PostgreSQL declares it (<c>character varying(40)</c>, a domain's name).</param>
/// <param name="Type">The warehouse column type.</param>
/// <param name="Nullable">False when the source column is NOT NULL.</param>
/// <param name="Expression">The column in the COPY query's select list, quoted and cast where needed.</param>
/// <param name="Read">Reads one value of the column from a binary COPY row.</param>
/// <param name="Warning">Why the column is carried as text, when its type has no warehouse equivalent.</param>
public sealed record SourceColumn(
    string Name,
    string SourceType,
    ColumnType Type,
    bool Nullable,
    string Expression,
    Func<NpgsqlBinaryExporter, object> Read,
    string? Warning = null);

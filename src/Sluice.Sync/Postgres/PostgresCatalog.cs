using Npgsql;
using Sluice.Core.Project;
using Sluice.Core.Sync;

namespace Sluice.Sync.Postgres;

/// <summary>Reads a source table's columns, types and primary key from pg_catalog.</summary>
internal static class PostgresCatalog
{
    // Domains are followed to their base type (a domain over a domain, too); the outermost
    // declared name is kept for messages.
    private const string ColumnsSql = """
        with recursive columns as (
            select a.attnum, a.attname::text as name, a.attnotnull, format_type(a.atttypid, a.atttypmod) as declared,
                   a.atttypid as type_id, a.atttypmod as modifier, 0 as depth
            from pg_attribute a
            join pg_class c on c.oid = a.attrelid
            join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'v', 'm', 'f')
              and a.attnum > 0 and not a.attisdropped
            union all
            select columns.attnum, columns.name, columns.attnotnull, columns.declared, t.typbasetype, t.typtypmod, columns.depth + 1
            from columns join pg_type t on t.oid = columns.type_id
            where t.typtype = 'd'
        )
        select distinct on (c.attnum) c.name, c.declared, c.attnotnull, t.typname::text, t.typtype, t.typcategory, c.modifier,
               e.typname::text as element_name, e.typtype as element_kind
        from columns c
        join pg_type t on t.oid = c.type_id
        left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
        order by c.attnum, c.depth desc
        """;

    private const string PrimaryKeySql = """
        select a.attname::text
        from pg_index i
        join pg_class c on c.oid = i.indrelid
        join pg_namespace n on n.oid = c.relnamespace
        cross join lateral unnest(i.indkey) with ordinality as k(attnum, position)
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        where n.nspname = $1 and c.relname = $2 and i.indisprimary
        order by k.position
        """;

    private const string EstimateSql = """
        select c.reltuples::bigint from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname = $2
        """;

    public static async Task<SourceTable> DescribeAsync(NpgsqlConnection connection, PostgresSourceDefinition source, SyncTableDefinition table, CancellationToken cancellationToken)
    {
        var qualified = $"{source.Schema}.{table.Name}";
        var columns = new List<SourceColumn>();
        await using (var command = new NpgsqlCommand(ColumnsSql, connection) { Parameters = { new() { Value = source.Schema }, new() { Value = table.Name } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var type = new PostgresTypes.CatalogType(
                    reader.GetString(3),
                    reader.GetChar(4),
                    reader.GetChar(5),
                    reader.GetInt32(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetChar(8));
                columns.Add(PostgresTypes.Map(reader.GetString(0), reader.GetString(1), !reader.GetBoolean(2), type, qualified));
            }
        }

        if (columns.Count == 0)
        {
            throw new SourceException(
                $"{table.Location}: source '{source.Name}' has no table {qualified}; check the table name and the source's schema (`schema:`, default public).")
            {
                IsUserFault = true,
            };
        }

        var primaryKey = new List<string>();
        await using (var command = new NpgsqlCommand(PrimaryKeySql, connection) { Parameters = { new() { Value = source.Schema }, new() { Value = table.Name } } })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                primaryKey.Add(reader.GetString(0));
            }
        }

        long? estimate;
        await using (var command = new NpgsqlCommand(EstimateSql, connection) { Parameters = { new() { Value = source.Schema }, new() { Value = table.Name } } })
        {
            var value = await command.ExecuteScalarAsync(cancellationToken);
            estimate = value is long rows && rows >= 0 ? rows : null;
        }

        var copied = columns.Where(c => table.Copies(c.Name)).ToList();
        foreach (var named in table.PrimaryKey.Concat(table.Include).Concat(table.Exclude)
                     .Append(table.Cursor).Append(table.ParityDateColumn).Append(table.SoftDeleteColumn).OfType<string>())
        {
            if (!columns.Any(c => c.Name == named))
            {
                throw new SourceException(
                    $"{table.Location}: {qualified} in source '{source.Name}' has no column '{named}'; its columns are {string.Join(", ", columns.Select(c => c.Name))}.")
                {
                    IsUserFault = true,
                };
            }
        }

        return new SourceTable(source.Schema, table.Name, copied, primaryKey, estimate);
    }
}

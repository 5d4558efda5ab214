using Npgsql;
using NpgsqlTypes;

namespace Sluice.Demo.Teei;

/// <summary>
/// The TEEI tables in a PostgreSQL database, as the platform keeps them: created with their keys,
/// references and analytics indexes, loaded with the rows of a state, then changed a day at a
/// time — the day's rows written in one transaction, each changed row's cursor moved on, as an
/// incremental sync expects.
/// </summary>
public static class TeeiPostgres
{
    /// <summary>Creates the tables if needed and replaces their rows with those of <paramref name="state"/>.</summary>
    public static async Task LoadAsync(NpgsqlDataSource database, TeeiState state, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var create = string.Concat(TeeiTables.All.Select(Create));
        await using (var command = new NpgsqlCommand(create + $"truncate {string.Join(", ", TeeiTables.All.Select(t => t.Name))};", connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var table in TeeiTables.All)
        {
            await CopyAsync(connection, table, state.Rows(table), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Applies one day's changes in one transaction: changed rows out, new and changed rows in.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource database, TeeiChanges changes, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in TeeiTables.All)
        {
            var rows = changes.Written[table];
            if (rows.Count == 0)
            {
                continue;
            }

            await using (var delete = new NpgsqlCommand($"delete from {table.Name} where {table.Columns[0].Name} = any($1)", connection, transaction))
            {
                delete.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key).ToArray() });
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            await CopyAsync(connection, table, rows, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // References are checked at commit: a changed company is deleted and written again within
    // the day's transaction while its users still point at it.
    private static string Create(TeeiTable table)
    {
        var columns = table.Columns.Select(c => $"{c.Name} {c.PostgresType}")
            .Append($"primary key ({table.Columns[0].Name})")
            .Concat(table.References.Select(r => $"foreign key ({r.Key}) references {r.Value} (id) deferrable initially deferred"));
        var indexes = table.Indexes.Select(i => $"create index if not exists {table.Name}_{string.Join("_", i)}_idx on {table.Name} ({string.Join(", ", i)});\n");
        return $"create table if not exists {table.Name} ({string.Join(", ", columns)});\n{string.Concat(indexes)}";
    }

    private static async Task CopyAsync(NpgsqlConnection connection, TeeiTable table, IEnumerable<ITeeiRow> rows, CancellationToken cancellationToken)
    {
        var types = table.Columns.Select(c => c.Type switch
        {
            "uuid" => NpgsqlDbType.Uuid,
            "timestamp" => NpgsqlDbType.Timestamp,
            _ when c.Type.StartsWith("decimal", StringComparison.Ordinal) => NpgsqlDbType.Numeric,
            _ => NpgsqlDbType.Text,
        }).ToArray();
        await using var writer = await connection.BeginBinaryImportAsync(
            $"copy {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) from stdin (format binary)", cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            var values = row.Values();
            for (var i = 0; i < values.Length; i++)
            {
                // The platform's times are UTC, kept in timestamp columns as the CSV files write them.
                var value = values[i] is DateTime time ? DateTime.SpecifyKind(time, DateTimeKind.Unspecified) : values[i];
                if (value is null)
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await writer.WriteAsync(value, types[i], cancellationToken);
                }
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }
}

using Npgsql;
using NpgsqlTypes;

namespace Sluice.Demo.Aivo;

/// <summary>
/// The AIVO tables in a PostgreSQL database, as the product keeps them: created and loaded with
/// the rows of a state, then changed a day at a time — rows written and deleted in one
/// transaction per day, each changed row's cursor moved on, as an incremental sync expects.
/// </summary>
public static class AivoPostgres
{
    /// <summary>Creates the tables if needed and replaces their rows with those of <paramref name="state"/>.</summary>
    public static async Task LoadAsync(NpgsqlDataSource database, AivoState state, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var create = string.Concat(AivoTables.All.Select(t =>
            $"create table if not exists {t.Name} ({string.Join(", ", t.Columns.Select(c => $"{c.Name} {c.PostgresType}"))}, primary key ({t.Columns[0].Name}));\n"));
        await using (var command = new NpgsqlCommand(create + $"truncate {string.Join(", ", AivoTables.All.Select(t => t.Name))};", connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var table in AivoTables.All)
        {
            await CopyAsync(connection, table, state.Rows(table), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Applies one day's changes in one transaction: changed and deleted rows out, new and changed rows in.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource database, AivoChanges changes, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in AivoTables.All)
        {
            var keys = changes.Written[table].Select(r => r.Key).Concat(changes.Deleted[table]).ToList();
            if (keys.Count == 0)
            {
                continue;
            }

            var key = table.Columns[0];
            await using (var delete = new NpgsqlCommand($"delete from {table.Name} where {key.Name} = any($1)", connection, transaction))
            {
                delete.Parameters.Add(key.Type == "uuid"
                    ? new NpgsqlParameter { Value = keys.Cast<Guid>().ToArray() }
                    : new NpgsqlParameter { Value = keys.Select(k => k.ToString()!).ToArray() });
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            await CopyAsync(connection, table, changes.Written[table], cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, AivoTable table, IEnumerable<IAivoRow> rows, CancellationToken cancellationToken)
    {
        var types = table.Columns.Select(c => c.Type switch
        {
            "uuid" => NpgsqlDbType.Uuid,
            "integer" => NpgsqlDbType.Integer,
            "boolean" => NpgsqlDbType.Boolean,
            "double" => NpgsqlDbType.Double,
            "date" => NpgsqlDbType.Date,
            "timestamp" => NpgsqlDbType.Timestamp,
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
                // The product stores UTC times in timestamp columns, as the CSV files write them.
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

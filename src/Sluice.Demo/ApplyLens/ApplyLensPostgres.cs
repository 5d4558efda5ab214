using Npgsql;
using NpgsqlTypes;

namespace Sluice.Demo.ApplyLens;

/// <summary>
/// The ApplyLens tables in a PostgreSQL database, as the product keeps them: created and loaded
/// with the rows of a state, then changed a day at a time with inserts, updates and deletes in
/// one transaction per day, each touched row's <c>updated_at</c> moved on, as an incremental sync expects.
/// </summary>
public static class ApplyLensPostgres
{
    private const string CreateTables = """
        create table if not exists emails (
            id bigint primary key,
            received_at timestamp not null,
            sender text not null,
            subject text not null,
            risk_score double precision,
            category text not null,
            expires_at timestamp,
            features_json text,
            updated_at timestamp not null
        );
        create table if not exists applications (
            id bigint primary key,
            company text not null,
            role text not null,
            source text not null,
            created_at timestamp,
            status text not null,
            updated_at timestamp not null
        );
        """;

    /// <summary>Creates the tables if needed and replaces their rows with those of <paramref name="state"/>.</summary>
    public static async Task LoadAsync(NpgsqlDataSource database, ApplyLensState state, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(CreateTables + "truncate emails, applications;", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await CopyAsync(connection, state.Emails, state.Applications, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Applies one day: its new rows, its updates and its deletes, in one transaction.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource database, ApplyLensDay added, ApplyLensChanges changed, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Changed rows are deleted and copied in again: two statements per day whatever changed.
        await using (var delete = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("delete from emails where id = any($1)") { Parameters = { new() { Value = changed.DeletedEmails.Concat(changed.Emails.Select(e => e.Id)).ToArray() } } },
                new NpgsqlBatchCommand("delete from applications where id = any($1)") { Parameters = { new() { Value = changed.DeletedApplications.Concat(changed.Applications.Select(a => a.Id)).ToArray() } } },
            },
        })
        {
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await CopyAsync(connection, [.. changed.Emails, .. added.Emails], [.. changed.Applications, .. added.Applications], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IEnumerable<EmailRow> emails, IEnumerable<ApplicationRow> applications, CancellationToken cancellationToken)
    {
        await using (var writer = await connection.BeginBinaryImportAsync(
            "copy emails (id, received_at, sender, subject, risk_score, category, expires_at, features_json, updated_at) from stdin (format binary)", cancellationToken))
        {
            foreach (var e in emails)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(e.Id, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(Naive(e.ReceivedAt), NpgsqlDbType.Timestamp, cancellationToken);
                await writer.WriteAsync(e.Sender, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(e.Subject, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, e.RiskScore, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(e.Category, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, e.ExpiresAt is { } expires ? Naive(expires) : (DateTime?)null, NpgsqlDbType.Timestamp, cancellationToken);
                await WriteNullableAsync(writer, e.FeaturesJson, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(Naive(e.UpdatedAt), NpgsqlDbType.Timestamp, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "copy applications (id, company, role, source, created_at, status, updated_at) from stdin (format binary)", cancellationToken))
        {
            foreach (var a in applications)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(a.Id, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(a.Company, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(a.Role, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(a.Source, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(writer, a.CreatedAt is { } created ? Naive(created) : (DateTime?)null, NpgsqlDbType.Timestamp, cancellationToken);
                await writer.WriteAsync(a.Status, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(Naive(a.UpdatedAt), NpgsqlDbType.Timestamp, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }
    }

    // The product stores UTC times in timestamp columns, as the CSV files write them.
    private static DateTime Naive(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } present ? writer.WriteAsync(present, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, type, cancellationToken);
}

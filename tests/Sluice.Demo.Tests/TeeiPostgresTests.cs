using Npgsql;
using Sluice.Demo.Teei;
using Sluice.Testing;

namespace Sluice.Demo.Tests;

/// <summary>The TEEI tables written into a real PostgreSQL server, then changed a day at a time, beside the CSV files of the same state.</summary>
public sealed class TeeiPostgresTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-teei-").FullName;

    [Fact]
    public async Task Tables_hold_the_csv_files_rows_after_the_load_and_after_each_day_of_changes()
    {
        var server = await PostgresServer.GetAsync();
        var url = new Uri(await server.CreateDatabaseAsync("teei"));
        await using var database = NpgsqlDataSource.Create(server.ConnectionString(url.AbsolutePath.TrimStart('/')));
        var state = TeeiState.Build(3, new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 20), TeeiScale.Small);

        await TeeiCsv.WriteAsync(_directory, state);
        await TeeiPostgres.LoadAsync(database, state);
        await AssertHoldsAsync(database);

        for (var i = 0; i < 4; i++)
        {
            var changes = state.Advance();
            await TeeiCsv.WriteAsync(_directory, state, changes);
            await TeeiPostgres.ApplyAsync(database, changes);
            await AssertHoldsAsync(database);
        }

        // Loading again starts over from the state's rows, into the tables already there.
        await TeeiPostgres.LoadAsync(database, state);
        await AssertHoldsAsync(database);

        // The keys, references and the platform's indexes are PostgreSQL's own.
        await using var command = database.CreateCommand("""
            select (select count(*) from pg_constraint where contype = 'p' and conrelid::regclass::text in ('companies', 'users', 'program_enrollments', 'outcome_scores')),
                   (select count(*) from pg_constraint where contype = 'f' and condeferred),
                   (select count(*) from pg_indexes where indexname = 'outcome_scores_company_id_created_at_idx')
            """);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((4L, 5L, 1L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Each table's rows as PostgreSQL writes them as CSV equal the lines of the table's files, byte for byte.
    private async Task AssertHoldsAsync(NpgsqlDataSource database)
    {
        await using var connection = await database.OpenConnectionAsync();
        foreach (var table in TeeiTables.All)
        {
            var files = Directory.GetFiles(_directory, Path.GetFileName(TeeiCsv.Pattern(table, ".")));
            var expected = files.SelectMany(f => File.ReadAllLines(f).Skip(1)).Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(expected);

            var columns = string.Join(", ", table.Columns.Select(c => c.Name));
            using var export = await connection.BeginTextExportAsync($"copy (select {columns} from {table.Name}) to stdout (format csv)");
            var lines = new List<string>();
            while (await export.ReadLineAsync() is { } line)
            {
                lines.Add(line);
            }

            // The lines that differ first, so that a failure shows them rather than the first index.
            var actual = lines.Order(StringComparer.Ordinal).ToList();
            Assert.Equal(string.Join('\n', expected.Except(actual).Take(3)), string.Join('\n', actual.Except(expected).Take(3)));
            Assert.Equal(expected, actual);
        }
    }
}

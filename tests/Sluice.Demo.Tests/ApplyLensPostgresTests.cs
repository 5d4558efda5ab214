using Npgsql;
using Sluice.Demo.ApplyLens;
using Sluice.Testing;

namespace Sluice.Demo.Tests;

/// <summary>The ApplyLens tables written into a real PostgreSQL server, then changed a day at a time.</summary>
public sealed class ApplyLensPostgresTests
{
    [Fact]
    public async Task Tables_hold_the_states_rows_after_the_load_and_after_each_day_of_changes()
    {
        var server = await PostgresServer.GetAsync();
        var url = new Uri(await server.CreateDatabaseAsync("applylens"));
        await using var database = NpgsqlDataSource.Create(server.ConnectionString(url.AbsolutePath.TrimStart('/')));
        var state = ApplyLensState.Build(3, new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 30));

        await ApplyLensPostgres.LoadAsync(database, state);
        await AssertHoldsAsync(database, state);

        for (var i = 0; i < 3; i++)
        {
            var (added, changed) = state.Advance();
            await ApplyLensPostgres.ApplyAsync(database, added, changed);
            await AssertHoldsAsync(database, state);
        }

        // Loading again starts over from the state's rows.
        await ApplyLensPostgres.LoadAsync(database, state);
        await AssertHoldsAsync(database, state);
    }

    private static async Task AssertHoldsAsync(NpgsqlDataSource database, ApplyLensState state)
    {
        await using var command = database.CreateCommand("""
            select string_agg(concat_ws('|', id, to_char(received_at, 'YYYY-MM-DD HH24:MI:SS'), sender, subject, risk_score, category, to_char(expires_at, 'YYYY-MM-DD HH24:MI:SS'), features_json, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS')), E'\n' order by id) from emails
            union all
            select string_agg(concat_ws('|', id, company, role, source, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS'), status, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS')), E'\n' order by id) from applications
            """);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(string.Join("\n", state.Emails.Select(e => Line(e.Id, e.ReceivedAt, e.Sender, e.Subject, e.RiskScore, e.Category, e.ExpiresAt, e.FeaturesJson, e.UpdatedAt))), reader.GetString(0));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(string.Join("\n", state.Applications.Select(a => Line(a.Id, a.Company, a.Role, a.Source, a.CreatedAt, a.Status, a.UpdatedAt))), reader.GetString(0));
    }

    // concat_ws leaves NULLs out, and PostgreSQL prints a double by its shortest round-trip form.
    private static string Line(params object?[] values) =>
        string.Join("|", values.Where(v => v is not null).Select(v => v is DateTime time ? time.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : CsvTextValue(v!)));

    private static string CsvTextValue(object value) => value is IFormattable formattable ? formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : value.ToString()!;
}

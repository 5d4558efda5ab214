using Sluice.Demo.ApplyLens;
using Sluice.DuckDb;

namespace Sluice.Demo.Tests;

/// <summary>The CSV files read back by DuckDB's CSV reader, which Sluice's CSV sources use.</summary>
public sealed class ApplyLensCsvTests : IDisposable
{
    private static readonly DateOnly First = new(2026, 10, 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-demo-").FullName;

    [Fact]
    public async Task Files_hold_every_current_row_and_only_changed_days_are_rewritten()
    {
        var state = ApplyLensState.Build(11, First, new DateOnly(2026, 10, 20));
        Assert.Equal(40, await ApplyLensCsv.WriteAsync(_directory, state));
        Assert.Equal(0, await ApplyLensCsv.WriteAsync(_directory, state));
        await AssertFilesHoldAsync(state);

        // A further day: its own two files, and those of the earlier days it changed.
        var (_, changed) = state.Advance();
        var touched = changed.Emails.Select(e => ("emails", e.Id)).Concat(changed.DeletedEmails.Select(id => ("emails", id)))
            .Concat(changed.Applications.Select(a => ("applications", a.Id))).Concat(changed.DeletedApplications.Select(id => ("applications", id)))
            .Select(t => (t.Item1, ApplyLensState.CreatedOn(t.Item2))).Distinct().Count();
        Assert.True(touched > 0, "a day of changes should touch earlier days");
        Assert.Equal(2 + touched, await ApplyLensCsv.WriteAsync(_directory, state));
        await AssertFilesHoldAsync(state);
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

    private async Task AssertFilesHoldAsync(ApplyLensState state)
    {
        using var connection = new DuckDbConnection("Data Source=:memory:");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            select count(*), count(risk_score), sum(risk_score), count(features_json), count(expires_at), sum(id), max(updated_at)
            from read_csv('{Pattern("emails")}', header = true)
            """;
        using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            var emails = state.Emails;
            Assert.Equal(emails.Count, Convert.ToInt64(reader.GetValue(0)));
            Assert.Equal(emails.Count(e => e.RiskScore is not null), Convert.ToInt64(reader.GetValue(1)));
            Assert.Equal(emails.Sum(e => e.RiskScore ?? 0), Convert.ToDouble(reader.GetValue(2)), 6);
            Assert.Equal(emails.Count(e => e.FeaturesJson is not null), Convert.ToInt64(reader.GetValue(3)));
            Assert.Equal(emails.Count(e => e.ExpiresAt is not null), Convert.ToInt64(reader.GetValue(4)));
            Assert.Equal(emails.Sum(e => e.Id).ToString(System.Globalization.CultureInfo.InvariantCulture), reader.GetValue(5).ToString());
            Assert.Equal(emails.Max(e => e.UpdatedAt), Convert.ToDateTime(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture));
        }

        command.CommandText = $"select count(*), count(created_at), string_agg(status, ',' order by id) from read_csv('{Pattern("applications")}', header = true)";
        using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            var applications = state.Applications;
            Assert.Equal(applications.Count, Convert.ToInt64(reader.GetValue(0)));
            Assert.Equal(applications.Count(a => a.CreatedAt is not null), Convert.ToInt64(reader.GetValue(1)));
            Assert.Equal(string.Join(",", applications.Select(a => a.Status)), reader.GetString(2));
        }
    }

    private string Pattern(string table) => Path.Combine(_directory, $"{table}_*.csv").Replace("'", "''", StringComparison.Ordinal);
}

using Sluice.Demo.ApplyLens;
using Sluice.DuckDb;

namespace Sluice.Demo.Tests;

/// <summary>The CSV files read back by DuckDB's CSV reader, which Sluice's CSV sources use.</summary>
public sealed class ApplyLensCsvTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-demo-").FullName;

    [Fact]
    public async Task Files_hold_every_row_and_value_and_are_left_alone_when_unchanged()
    {
        var generator = new ApplyLensGenerator(11);
        var days = generator.Days(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 10)).ToList();

        Assert.Equal(20, await ApplyLensCsv.WriteAsync(_directory, days));
        Assert.Equal(0, await ApplyLensCsv.WriteAsync(_directory, days));
        Assert.Equal(2, await ApplyLensCsv.WriteAsync(_directory, [generator.Day(new DateOnly(2026, 10, 11))]));

        using var connection = new DuckDbConnection("Data Source=:memory:");
        connection.Open();
        var emails = days.SelectMany(d => d.Emails).ToList();
        var pattern = Path.Combine(_directory, "emails_2026-10-0*.csv").Replace("'", "''", StringComparison.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            select count(*), count(risk_score), sum(risk_score), count(features_json), count(expires_at), count(distinct sender),
                   max(length(subject)), cast(count_if(features_json like '%"confidence"%') as bigint)
            from read_csv('{pattern}', header = true, all_varchar = false)
            """;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(emails.Count(e => e.Day() < new DateOnly(2026, 10, 10)), Convert.ToInt64(reader.GetValue(0)));
        Assert.Equal(emails.Count(e => e.Day() < new DateOnly(2026, 10, 10) && e.RiskScore is not null), Convert.ToInt64(reader.GetValue(1)));
        Assert.Equal(emails.Where(e => e.Day() < new DateOnly(2026, 10, 10)).Sum(e => e.RiskScore ?? 0), Convert.ToDouble(reader.GetValue(2)), 6);
        Assert.Equal(Convert.ToInt64(reader.GetValue(1)), Convert.ToInt64(reader.GetValue(3)));
        Assert.Equal(Convert.ToInt64(reader.GetValue(3)), Convert.ToInt64(reader.GetValue(7)));
        Assert.Equal(emails.Where(e => e.Day() < new DateOnly(2026, 10, 10)).Max(e => e.Subject.Length), Convert.ToInt64(reader.GetValue(6)));
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
}

internal static class EmailRowDays
{
    public static DateOnly Day(this EmailRow email) => DateOnly.FromDateTime(email.ReceivedAt);
}

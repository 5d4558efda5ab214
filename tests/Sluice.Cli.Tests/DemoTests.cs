using System.Globalization;
using Sluice.Demo;
using Sluice.Demo.ApplyLens;
using Sluice.DuckDb;

namespace Sluice.Cli.Tests;

/// <summary>
/// <c>sluice demo</c> in a clean folder, and the ApplyLens marts checked column by column, day by
/// day, against figures computed here from the generated rows (not through the models' SQL); then
/// a further day of changes with deletes, after which only the days it touched are built again.
/// </summary>
public class DemoTests : IDisposable
{
    private const int Days = 21;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Project => _temp.Combine("demo");

    [Fact]
    public async Task Demo_builds_the_applylens_marts_from_csv_and_a_day_of_changes_rebuilds_exactly_its_partitions()
    {
        var demo = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", Project, "--days", Days.ToString(CultureInfo.InvariantCulture), "--no-serve");

        Assert.True(demo.ExitCode == 0, demo.ToString());
        Assert.Contains("mrt_risk_daily, the last 7 days:", demo.Stdout);
        Assert.Matches(@"ran \d+ check\(s\): \d+ passed, 0 warned, 0 failed", demo.Stdout);
        var record = DemoRecord.Read(Project)!;
        Assert.Equal(Days, record.Last.DayNumber - record.First.DayNumber + 1);
        var state = ApplyLensState.Build(record.Seed, record.First, record.Last);
        AssertRiskDaily(state);
        AssertApplications(state);
        AssertBackfillSlo();

        // Run again: nothing new, so no partition is built.
        var again = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", Project, "--no-serve");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Empty(PartitionsOfLatestBuild());

        // Days pass: new mail, rescored and purged mail of earlier days (until some is purged).
        var touched = new HashSet<DateOnly>();
        var deleted = 0;
        var firstAdded = state.Last.AddDays(1);
        while (deleted == 0)
        {
            var (added, changed) = state.Advance();
            deleted += changed.DeletedEmails.Count;
            touched.UnionWith(changed.Emails.Select(e => ApplyLensState.CreatedOn(e.Id)));
            touched.UnionWith(changed.DeletedEmails.Select(ApplyLensState.CreatedOn));
            touched.Add(added.Day);
            Assert.True(state.Last < firstAdded.AddDays(30), "30 days passed without a purge of high-risk mail");
        }

        await ApplyLensCsv.WriteAsync(Path.Combine(Project, ApplyLensProject.DataFolder), state);
        var sync = await SluiceProcess.RunAsync(Project, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var build = await SluiceProcess.RunAsync(Project, "build", "--from", Day(firstAdded), "--to", Day(state.Last));
        Assert.True(build.ExitCode == 0, build.ToString());

        Assert.Equal(touched.Order(), PartitionsOfLatestBuild());
        AssertRiskDaily(state);
        AssertApplications(state);
    }

    private void AssertRiskDaily(ApplyLensState state)
    {
        var expected = state.Emails
            .GroupBy(e => DateOnly.FromDateTime(e.ReceivedAt))
            .ToDictionary(g => g.Key, g => g.ToList());
        var rows = Query("""
            select d, emails, emails_scored, unscored_count, low_risk_count, medium_risk_count, high_risk_count, critical_risk_count,
                   avg_risk, min_risk, max_risk, recruiter_count, interview_count, offer_count, rejection_count, top_sender_domains,
                   coverage_pct, high_risk_pct, critical_risk_pct
            from marts.mrt_risk_daily order by d
            """);
        Assert.Equal(expected.Keys.Order(), rows.Select(r => (DateOnly)r[0]!));
        foreach (var row in rows)
        {
            var day = (DateOnly)row[0]!;
            var mail = expected[day];
            var scores = mail.Where(e => e.RiskScore is not null).Select(e => e.RiskScore!.Value).ToList();
            long Bucket(string bucket) => mail.Count(e => RiskBucket(e.RiskScore) == bucket);
            long Category(string category) => mail.Count(e => e.Category == category);
            var at = $"mrt_risk_daily {Day(day)}";
            Assert.True(mail.Count == Convert.ToInt64(row[1], CultureInfo.InvariantCulture), $"{at}: emails");
            Assert.True(scores.Count == Convert.ToInt64(row[2], CultureInfo.InvariantCulture), $"{at}: emails_scored");
            string[] buckets = ["unscored", "low", "medium", "high", "critical"];
            for (var i = 0; i < buckets.Length; i++)
            {
                Assert.True(Bucket(buckets[i]) == Convert.ToInt64(row[3 + i], CultureInfo.InvariantCulture), $"{at}: {buckets[i]} count");
            }

            AssertClose(scores.Count == 0 ? null : scores.Average(), row[8], $"{at}: avg_risk");
            AssertClose(scores.Count == 0 ? null : scores.Min(), row[9], $"{at}: min_risk");
            AssertClose(scores.Count == 0 ? null : scores.Max(), row[10], $"{at}: max_risk");
            string[] categories = ["recruiter", "interview", "offer", "rejection"];
            for (var i = 0; i < categories.Length; i++)
            {
                Assert.True(Category(categories[i]) == Convert.ToInt64(row[11 + i], CultureInfo.InvariantCulture), $"{at}: {categories[i]} count");
            }

            var top = mail.GroupBy(e => e.Sender[(e.Sender.IndexOf('@') + 1)..].ToLowerInvariant())
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(5).Select(g => g.Key);
            Assert.Equal(string.Join(",", top), row[15]);
            AssertClose(scores.Count * 100.0 / mail.Count, row[16], $"{at}: coverage_pct");
            AssertClose(Bucket("high") * 100.0 / mail.Count, row[17], $"{at}: high_risk_pct");
            AssertClose(Bucket("critical") * 100.0 / mail.Count, row[18], $"{at}: critical_risk_pct");
        }
    }

    private void AssertApplications(ApplyLensState state)
    {
        var expected = state.Applications
            .Where(a => a.CreatedAt is not null)
            .GroupBy(a => (DateOnly.FromDateTime(a.CreatedAt!.Value), StatusCategory(a.Status)))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var rows = Query("select application_date, status_category, count(*) from staging.stg_applications group by 1, 2");
        var actual = rows.ToDictionary(r => ((DateOnly)r[0]!, (string)r[1]!), r => Convert.ToInt64(r[2], CultureInfo.InvariantCulture));
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    // Every partition built successfully is a backfill; per day they ran: count, mean, p50, p95,
    // rows and the SLO's verdict, over the 30 days ending today.
    private void AssertBackfillSlo()
    {
        var runs = Query("select run_date, duration_ms, rows_processed from _sluice.job_runs where target_date is not null and status = 'SUCCESS'")
            .GroupBy(r => (DateOnly)r[0]!)
            .ToDictionary(g => g.Key, g => g.Select(r => (Seconds: Convert.ToDouble(r[1], CultureInfo.InvariantCulture) / 1000, Rows: Convert.ToInt64(r[2], CultureInfo.InvariantCulture))).ToList());
        var rows = Query("select d, backfill_count, avg_duration_seconds, p50_duration_seconds, p95_duration_seconds, rows_processed, slo_status from marts.mrt_backfill_slo order by d");
        Assert.Equal(30, rows.Count);
        var last = (DateOnly)rows[^1][0]!;
        Assert.Equal(Enumerable.Range(0, 30).Select(i => last.AddDays(i - 29)), rows.Select(r => (DateOnly)r[0]!));
        Assert.Contains(runs.Keys.Max(), rows.Select(r => (DateOnly)r[0]!));
        foreach (var row in rows)
        {
            var day = (DateOnly)row[0]!;
            var at = $"mrt_backfill_slo {Day(day)}";
            var seconds = runs.GetValueOrDefault(day)?.Select(r => r.Seconds).Order().ToList() ?? [];
            Assert.True(seconds.Count == Convert.ToInt64(row[1], CultureInfo.InvariantCulture), $"{at}: backfill_count");
            AssertClose(seconds.Count == 0 ? null : seconds.Average(), row[2], $"{at}: avg_duration_seconds");
            AssertClose(seconds.Count == 0 ? null : Percentile(seconds, 0.5), row[3], $"{at}: p50_duration_seconds");
            var p95 = seconds.Count == 0 ? (double?)null : Percentile(seconds, 0.95);
            AssertClose(p95, row[4], $"{at}: p95_duration_seconds");
            Assert.True((runs.GetValueOrDefault(day)?.Sum(r => r.Rows) ?? 0) == Convert.ToInt64(row[5], CultureInfo.InvariantCulture), $"{at}: rows_processed");
            var status = p95 switch { null => "no_data", < 300 => "healthy", < 420 => "warning", _ => "critical" };
            Assert.Equal(status, row[6]);
        }
    }

    private List<DateOnly> PartitionsOfLatestBuild() =>
        [.. Query("""
            select target_date from _sluice.job_runs
            where job_name = 'mrt_risk_daily' and status = 'SUCCESS' and target_date is not null
              and invocation_id = (select invocation_id from _sluice.job_runs order by started_at desc limit 1)
            order by target_date
            """).Select(r => (DateOnly)r[0]!)];

    private List<object?[]> Query(string sql)
    {
        using var connection = new DuckDbConnection($"Data Source={Path.Combine(Project, "warehouse.duckdb")};access_mode=READ_ONLY");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is DateTime t && reader.GetFieldType(i) == typeof(DateOnly) ? DateOnly.FromDateTime(t) : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static string RiskBucket(double? score) => score switch
    {
        null => "unscored",
        < 30 => "low",
        < 60 => "medium",
        < 90 => "high",
        _ => "critical",
    };

    private static string StatusCategory(string status) => status switch
    {
        "accepted" or "offer" => "success",
        "rejected" or "closed" => "closed",
        "interviewing" or "phone_screen" => "active",
        "applied" or "submitted" => "pending",
        _ => "other",
    };

    // Linear interpolation between the closest ranks, as percentile_cont.
    private static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    private static void AssertClose(double? expected, object? actual, string what)
    {
        if (expected is null)
        {
            Assert.True(actual is null, $"{what}: expected NULL, found {actual}");
            return;
        }

        Assert.True(actual is not null, $"{what}: expected {expected}, found NULL");
        var value = Convert.ToDouble(actual, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(value - expected.Value) <= 1e-9 * Math.Max(1, Math.Abs(expected.Value)), $"{what}: expected {expected}, found {value}");
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

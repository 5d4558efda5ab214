using System.Globalization;
using Sluice.Demo.ApplyLens;

namespace Sluice.Cli.Tests;

/// <summary>
/// What the ApplyLens marts must hold, computed here from the generated rows and from
/// Sluice's own records — never through the project's models — and checked column by column,
/// day by day, on whichever warehouse <paramref name="query"/> reads.
/// </summary>
/// <param name="query">Runs SQL on the warehouse and returns its rows (dates as DateOnly).</param>
public sealed class ApplyLensMarts(Func<string, List<object?[]>> query)
{
    /// <summary>The days of mrt_risk_daily a day of changes makes stale: its new mail, and the days of mail changed or purged.</summary>
    public static IEnumerable<DateOnly> DaysTouched(ApplyLensDay added, ApplyLensChanges changed) =>
        changed.Emails.Select(e => ApplyLensState.CreatedOn(e.Id))
            .Concat(changed.DeletedEmails.Select(ApplyLensState.CreatedOn))
            .Append(added.Day);

    /// <summary>The partitions of mrt_risk_daily that the latest invocation built.</summary>
    public List<DateOnly> PartitionsOfLatestBuild() =>
        [.. query("""
            select target_date from _sluice.job_runs
            where job_name = 'mrt_risk_daily' and status = 'SUCCESS' and target_date is not null
              and invocation_id = (select invocation_id from _sluice.job_runs order by started_at desc limit 1)
            order by target_date
            """).Select(r => (DateOnly)r[0]!)];

    public void AssertRiskDaily(ApplyLensState state)
    {
        var expected = state.Emails
            .GroupBy(e => DateOnly.FromDateTime(e.ReceivedAt))
            .ToDictionary(g => g.Key, g => g.ToList());
        var rows = query("""
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

    public void AssertApplications(ApplyLensState state)
    {
        var expected = state.Applications
            .Where(a => a.CreatedAt is not null)
            .GroupBy(a => (DateOnly.FromDateTime(a.CreatedAt!.Value), StatusCategory(a.Status)))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var rows = query("select application_date, status_category, count(*) from staging.stg_applications group by 1, 2");
        var actual = rows.ToDictionary(r => ((DateOnly)r[0]!, (string)r[1]!), r => Convert.ToInt64(r[2], CultureInfo.InvariantCulture));
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    // Every partition built successfully is a backfill; per day they ran: count, mean, p50, p95,
    // rows and the SLO's verdict, over the 30 days ending today.
    public void AssertBackfillSlo()
    {
        var runs = query("select run_date, duration_ms, rows_processed from _sluice.job_runs where target_date is not null and status = 'SUCCESS'")
            .GroupBy(r => (DateOnly)r[0]!)
            .ToDictionary(g => g.Key, g => g.Select(r => (Seconds: Convert.ToDouble(r[1], CultureInfo.InvariantCulture) / 1000, Rows: Convert.ToInt64(r[2], CultureInfo.InvariantCulture))).ToList());
        var rows = query("select d, backfill_count, avg_duration_seconds, p50_duration_seconds, p95_duration_seconds, rows_processed, slo_status from marts.mrt_backfill_slo order by d");
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

    /// <summary>
    /// Parity per day of source data: every live email received and application created that
    /// day checked, none differing, checked by the latest sync (at or after <paramref name="checkedSince"/>).
    /// </summary>
    public void AssertParityDrift(ApplyLensState state, DateTime checkedSince)
    {
        var expected = state.Emails.Select(e => DateOnly.FromDateTime(e.ReceivedAt))
            .Concat(state.Applications.Where(a => a.CreatedAt is not null).Select(a => DateOnly.FromDateTime(a.CreatedAt!.Value)))
            .GroupBy(d => d)
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var rows = query("select d, total_checked, total_mismatches, mismatch_ratio, last_check_at, slo_status from marts.mrt_parity_drift order by d");
        Assert.Equal(expected.Keys.Order(), rows.Select(r => (DateOnly)r[0]!));
        foreach (var row in rows)
        {
            var day = (DateOnly)row[0]!;
            var at = $"mrt_parity_drift {Day(day)}";
            Assert.True(expected[day] == Convert.ToInt64(row[1], CultureInfo.InvariantCulture), $"{at}: total_checked {row[1]}, expected {expected[day]}");
            Assert.True(Convert.ToInt64(row[2], CultureInfo.InvariantCulture) == 0, $"{at}: total_mismatches {row[2]}");
            AssertClose(0, row[3], $"{at}: mismatch_ratio");
            var checkedAt = row[4] switch
            {
                DateTimeOffset offset => offset.UtcDateTime,
                DateTime time => time.ToUniversalTime(),
                var other => throw new InvalidCastException($"{at}: last_check_at is {other?.GetType().Name}"),
            };
            Assert.True(checkedAt >= checkedSince, $"{at}: last_check_at {checkedAt:O} is before the latest sync began ({checkedSince:O})");
            Assert.Equal("healthy", row[5]);
        }
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


    /// <summary>A day as the commands take it.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

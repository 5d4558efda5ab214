using System.Text.Json;
using Sluice.Demo.ApplyLens;

namespace Sluice.Demo.Tests;

/// <summary>The ApplyLens generator: deterministic per seed and day, and shaped like the product's data.</summary>
public sealed class ApplyLensGeneratorTests
{
    private static readonly DateOnly First = new(2026, 8, 1);
    private static readonly DateOnly Last = new(2026, 10, 29);

    [Fact]
    public void Equal_seeds_make_equal_days_and_a_day_does_not_depend_on_the_range_around_it()
    {
        var days = new ApplyLensGenerator(42).Days(First, Last).ToList();
        var again = new ApplyLensGenerator(42).Days(First, Last).ToList();
        var other = new ApplyLensGenerator(43).Days(First, Last).ToList();

        Assert.Equal(90, days.Count);
        Assert.Equal(Flatten(days), Flatten(again));
        Assert.NotEqual(Flatten(days), Flatten(other));
        var middle = new DateOnly(2026, 9, 15);
        Assert.Equal(Flatten([days.Single(d => d.Day == middle)]), Flatten([new ApplyLensGenerator(42).Day(middle)]));
    }

    [Fact]
    public void Emails_are_shaped_like_the_products()
    {
        var emails = new ApplyLensGenerator(7).Days(First, Last).SelectMany(d => d.Emails.Select(e => (d.Day, Email: e))).ToList();

        Assert.Equal(emails.Count, emails.Select(e => e.Email.Id).Distinct().Count());
        Assert.All(emails, e => Assert.Equal(e.Day, DateOnly.FromDateTime(e.Email.ReceivedAt)));
        Assert.Equal(["interview", "newsletter", "offer", "personal", "recruiter", "rejection"], emails.Select(e => e.Email.Category).Distinct().Order(StringComparer.Ordinal));
        Assert.All(emails, e => Assert.Matches(@"^[a-z0-9.\-]+@[a-z0-9.\-]+\.[a-z]+$", e.Email.Sender));
        Assert.All(emails.Where(e => e.Email.RiskScore is not null), e => Assert.InRange(e.Email.RiskScore!.Value, 0, 100));
        Assert.All(emails, e => Assert.Equal(e.Email.RiskScore is null, e.Email.FeaturesJson is null));
        Assert.All(emails, e => Assert.Equal(e.Email.Category is "interview" or "offer", e.Email.ExpiresAt is not null));
        foreach (var (_, email) in emails.Where(e => e.Email.FeaturesJson is not null).Take(500))
        {
            var features = JsonDocument.Parse(email.FeaturesJson!).RootElement;
            Assert.True(features.GetProperty("computed_at").GetDateTime() >= email.ReceivedAt);
            Assert.Contains(features.GetProperty("source").GetString(), new[] { "model_v3", "heuristic", "manual" });
            Assert.InRange(features.GetProperty("confidence").GetDouble(), 0.5, 1);
        }

        // Every risk bucket, unscored mail, and fewer emails at weekends.
        var buckets = emails.GroupBy(e => e.Email.RiskScore switch { null => "unscored", < 30 => "low", < 60 => "medium", < 90 => "high", _ => "critical" }).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["critical", "high", "low", "medium", "unscored"], buckets.Keys.Order(StringComparer.Ordinal));
        var perDay = emails.GroupBy(e => e.Day).ToList();
        Assert.True(perDay.Where(d => d.Key.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday).Average(d => d.Count())
            < perDay.Where(d => d.Key.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Average(d => d.Count()) / 2);
    }

    [Fact]
    public void Applications_cover_every_status_category_and_some_lack_a_date()
    {
        var applications = new ApplyLensGenerator(7).Days(First, Last).SelectMany(d => d.Applications).ToList();

        Assert.Equal(applications.Count, applications.Select(a => a.Id).Distinct().Count());
        Assert.Equal(
            ["accepted", "applied", "closed", "ghosted", "interviewing", "offer", "phone_screen", "rejected", "submitted", "withdrawn"],
            applications.Select(a => a.Status).Distinct().Order(StringComparer.Ordinal));
        Assert.InRange(applications.Count(a => a.CreatedAt is null), 1, applications.Count / 10);
        Assert.All(applications.Where(a => a.CreatedAt is not null), a => Assert.Equal(a.CreatedAt, a.UpdatedAt));
    }

    private static List<string> Flatten(IEnumerable<ApplyLensDay> days) =>
        [.. days.SelectMany(d => d.Emails.Select(e => e.ToString()).Concat(d.Applications.Select(a => a.ToString())))];
}

/// <summary>The tables as days pass: new rows, updates and deletes, all from the seed.</summary>
public sealed class ApplyLensStateTests
{
    [Fact]
    public void Days_of_changes_score_rescore_move_on_and_delete_rows_and_replay_identically()
    {
        var first = new DateOnly(2026, 7, 1);
        var state = ApplyLensState.Build(5, first, new DateOnly(2026, 8, 29));
        var again = ApplyLensState.Build(5, first, new DateOnly(2026, 8, 29));
        var made = new ApplyLensGenerator(5).Days(first, new DateOnly(2026, 8, 29)).ToList();

        Assert.Equal(state.Emails.Select(e => e.ToString()), again.Emails.Select(e => e.ToString()));
        Assert.Equal(state.Applications.Select(a => a.ToString()), again.Applications.Select(a => a.ToString()));

        // Deletes: fewer rows than were made, and only mail of high risk when it was purged.
        var madeEmails = made.SelectMany(d => d.Emails).ToDictionary(e => e.Id);
        Assert.NotEmpty(madeEmails.Keys.Except(state.Emails.Select(e => e.Id)));
        Assert.True(made.Sum(d => d.Applications.Count) > state.Applications.Count);
        var stepping = ApplyLensState.Build(5, first, first);
        var purged = 0;
        while (stepping.Last < state.Last)
        {
            var risks = stepping.Emails.ToDictionary(e => e.Id, e => e.RiskScore);
            var (_, changed) = stepping.Advance();
            Assert.All(changed.DeletedEmails, id => Assert.True(risks[id] >= 90, $"email {id} was deleted with risk {risks[id]}"));
            purged += changed.DeletedEmails.Count;
        }

        Assert.Equal(madeEmails.Count - state.Emails.Count, purged);

        // Updates: rows changed after the day they were made, with updated_at on a later day.
        var rescored = state.Emails.Where(e => e.UpdatedAt > e.ReceivedAt).ToList();
        Assert.NotEmpty(rescored);
        Assert.All(rescored, e => Assert.True(DateOnly.FromDateTime(e.UpdatedAt) > ApplyLensState.CreatedOn(e.Id)));
        Assert.All(rescored, e => Assert.Contains("\"source\": \"rescore\"", e.FeaturesJson, StringComparison.Ordinal));
        var madeApplications = made.SelectMany(d => d.Applications).ToDictionary(a => a.Id);
        var moved = state.Applications.Where(a => a.Status != madeApplications[a.Id].Status).ToList();
        Assert.NotEmpty(moved);
        Assert.All(moved, a => Assert.True(a.UpdatedAt > madeApplications[a.Id].UpdatedAt));
        Assert.Contains(moved, a => a.Status == "accepted" || a.Status == "offer");
    }

    [Fact]
    public void Advancing_a_day_at_a_time_reaches_the_same_tables_as_building_them()
    {
        var first = new DateOnly(2026, 7, 1);
        var stepped = ApplyLensState.Build(9, first, new DateOnly(2026, 7, 20));
        stepped.Advance();

        var built = ApplyLensState.Build(9, first, new DateOnly(2026, 7, 21));
        Assert.Equal(built.Emails.Select(e => e.ToString()), stepped.Emails.Select(e => e.ToString()));
        Assert.Equal(built.Applications.Select(a => a.ToString()), stepped.Applications.Select(a => a.ToString()));
    }
}

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

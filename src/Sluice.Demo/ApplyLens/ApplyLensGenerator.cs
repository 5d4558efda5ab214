using System.Globalization;

namespace Sluice.Demo.ApplyLens;

/// <summary>
/// Makes the ApplyLens product's source rows, day by day: emails from recruiters, interview
/// invitations, offers, rejections, newsletters and personal mail, most of them scored for
/// phishing risk, and the job applications their reader records. A day's rows come from the seed
/// and the day alone, so any range of days holds the same rows for the days it shares with another.
/// </summary>
/// <param name="seed">The seed: equal seeds make equal data.</param>
public sealed class ApplyLensGenerator(long seed)
{
    /// <summary>Ids are numbered per day: a row made on day D has an id in [D * IdsPerDay, (D + 1) * IdsPerDay).</summary>
    public const long IdsPerDay = 100_000;

    private static readonly string[] Companies =
    [
        "Acme Robotics", "Globex", "Initech", "Umbrella Health", "Hooli", "Stark Industries", "Wayne Logistics", "Wonka Foods",
        "Soylent", "Tyrell Systems", "Cyberdyne", "Aperture Labs", "Black Mesa", "Vandelay Imports", "Pied Piper", "Massive Dynamic",
        "Oscorp", "Gringotts", "Monarch Solutions", "Nakatomi Trading",
    ];

    private static readonly string[] Roles =
    [
        "Software Engineer", "Senior Software Engineer", "Data Engineer", "Data Analyst", "Product Manager", "Engineering Manager",
        "Site Reliability Engineer", "Frontend Developer", "Backend Developer", "Machine Learning Engineer", "QA Engineer", "Solutions Architect",
    ];

    private static readonly (string Item, double Weight)[] Categories =
        [("recruiter", 34), ("interview", 12), ("offer", 3), ("rejection", 14), ("newsletter", 24), ("personal", 13)];

    private static readonly (string Item, double Weight)[] Sources =
        [("linkedin", 35), ("company_site", 22), ("referral", 12), ("indeed", 15), ("recruiter", 10), ("job_board", 6)];

    private static readonly (string Item, double Weight)[] Statuses =
    [
        ("applied", 30), ("submitted", 14), ("phone_screen", 10), ("interviewing", 12), ("offer", 4), ("accepted", 2),
        ("rejected", 17), ("closed", 6), ("withdrawn", 3), ("ghosted", 2),
    ];

    private static readonly string[] NewsletterDomains = ["jobdigest.io", "careerweekly.com", "techjobs.news", "remotehub.co"];
    private static readonly string[] PersonalDomains = ["gmail.com", "outlook.com", "proton.me", "yahoo.com"];
    private static readonly string[] SuspectDomains = ["hr-recruit-now.biz", "jobs-offer-direct.top", "secure-hiring.xyz"];
    private static readonly string[] ScoreSources = ["model_v3", "model_v3", "model_v3", "heuristic", "manual"];
    private static readonly string[] FirstNames = ["alex", "sam", "jordan", "taylor", "morgan", "casey", "jamie", "riley", "avery", "quinn"];

    /// <summary>The days from <paramref name="first"/> to <paramref name="last"/>, inclusive.</summary>
    public IEnumerable<ApplyLensDay> Days(DateOnly first, DateOnly last)
    {
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            yield return Day(day);
        }
    }

    /// <summary>The rows of <paramref name="day"/>.</summary>
    public ApplyLensDay Day(DateOnly day)
    {
        var random = DemoRandom.For(seed, day.DayNumber);

        // Fewer emails and applications at weekends, as people search less then.
        var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var emails = Math.Max(5, (int)Math.Round(random.Normal(weekend ? 60 : 140, weekend ? 10 : 25)));
        var applications = Math.Max(0, (int)Math.Round(random.Normal(weekend ? 4 : 14, weekend ? 2 : 4)));
        var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var dayId = (long)day.DayNumber * IdsPerDay;
        return new ApplyLensDay(
            day,
            [.. Enumerable.Range(0, emails).Select(i => Email(random, dayId + i, start))],
            [.. Enumerable.Range(0, applications).Select(i => Application(random, dayId + i, start))]);
    }

    private static EmailRow Email(DemoRandom random, long id, DateTime day)
    {
        var received = day.AddSeconds(random.Next(86_400));
        var category = random.Pick(Categories);
        var company = random.Pick(Companies);
        var role = random.Pick(Roles);
        var suspect = category is "recruiter" or "offer" && random.Chance(0.08);
        var sender = category switch
        {
            _ when suspect => $"{random.Pick(["hr", "talent", "offers"])}@{random.Pick(SuspectDomains)}",
            "newsletter" => $"digest@{random.Pick(NewsletterDomains)}",
            "personal" => $"{random.Pick(FirstNames)}.{random.Pick(FirstNames)}@{random.Pick(PersonalDomains)}",
            _ => $"{random.Pick(["recruiting", "talent", "careers", "no-reply", random.Pick(FirstNames)])}@{Domain(company)}",
        };
        var subject = category switch
        {
            "recruiter" => $"{role} opportunity at {company}",
            "interview" => $"Interview invitation: {role} at {company}",
            "offer" => $"Your offer from {company}",
            "rejection" => $"Update on your {role} application at {company}",
            "newsletter" => $"This week's top {role} jobs",
            _ => random.Pick(["Coffee next week?", "Re: references", "Catching up", "Quick question about your resume"]),
        };

        // Most mail is scored; suspect senders score high, everyday mail low.
        double? risk = random.Chance(0.07) ? null : Math.Round(Math.Clamp(random.Normal(suspect ? 88 : category is "newsletter" ? 35 : 22, suspect ? 8 : 15), 0, 100), 1);
        DateTime? expires = category is "interview" or "offer" ? received.AddDays(random.Next(3, 15)) : null;
        var features = risk is null
            ? null
            : string.Create(CultureInfo.InvariantCulture, $$"""{"computed_at": "{{received.AddSeconds(random.Next(5, 600)):yyyy-MM-ddTHH:mm:ssZ}}", "source": "{{random.Pick(ScoreSources)}}", "confidence": {{Math.Round(0.5 + (random.NextDouble() * 0.49), 2)}}}""");
        return new EmailRow(id, received, sender, subject, risk, category, expires, features, received);
    }

    private static ApplicationRow Application(DemoRandom random, long id, DateTime day)
    {
        var created = day.AddSeconds(random.Next(86_400));

        // A few rows come from an old import without a date; the staging model leaves them out.
        DateTime? createdAt = random.Chance(0.02) ? null : created;
        return new ApplicationRow(id, random.Pick(Companies), random.Pick(Roles), random.Pick(Sources), createdAt, random.Pick(Statuses), created);
    }

    private static string Domain(string company) => company.ToLowerInvariant().Replace(' ', '-') + ".com";
}

namespace Sluice.Demo.ApplyLens;

/// <summary>What one day changed in rows made on earlier days.</summary>
/// <param name="Day">The day.</param>
/// <param name="Emails">Emails scored or rescored that day, as they now are.</param>
/// <param name="Applications">Applications whose status moved that day, as they now are.</param>
/// <param name="DeletedEmails">Emails deleted that day (high-risk mail purged).</param>
/// <param name="DeletedApplications">Applications deleted that day.</param>
public sealed record ApplyLensChanges(DateOnly Day, IReadOnlyList<EmailRow> Emails, IReadOnlyList<ApplicationRow> Applications, IReadOnlyList<long> DeletedEmails, IReadOnlyList<long> DeletedApplications);

/// <summary>
/// The product's tables as of a day: each day adds its new rows, then changes some rows of the
/// days before — unscored mail gets scored, mail is rescored, applications move on (screens,
/// interviews, offers, rejections), high-risk mail is purged and a few applications removed.
/// Like the rows, the changes come from the seed and the day alone.
/// </summary>
public sealed class ApplyLensState
{
    private static readonly string[] Open = ["applied", "submitted", "phone_screen", "interviewing", "offer"];

    private readonly long _seed;
    private readonly ApplyLensGenerator _generator;
    private readonly SortedDictionary<long, EmailRow> _emails = [];
    private readonly SortedDictionary<long, ApplicationRow> _applications = [];

    private ApplyLensState(long seed, DateOnly first)
    {
        _seed = seed;
        _generator = new ApplyLensGenerator(seed);
        First = first;
        Last = first.AddDays(-1);
    }

    /// <summary>The first day with rows.</summary>
    public DateOnly First { get; }

    /// <summary>The last day applied.</summary>
    public DateOnly Last { get; private set; }

    /// <summary>The emails as of <see cref="Last"/>, by id.</summary>
    public IReadOnlyCollection<EmailRow> Emails => _emails.Values;

    /// <summary>The applications as of <see cref="Last"/>, by id.</summary>
    public IReadOnlyCollection<ApplicationRow> Applications => _applications.Values;

    /// <summary>The tables after every day from <paramref name="first"/> to <paramref name="last"/>.</summary>
    public static ApplyLensState Build(long seed, DateOnly first, DateOnly last)
    {
        var state = new ApplyLensState(seed, first);
        while (state.Last < last)
        {
            state.Advance();
        }

        return state;
    }

    /// <summary>The day a row was made on: ids are numbered per day.</summary>
    public static DateOnly CreatedOn(long id) => DateOnly.FromDayNumber((int)(id / ApplyLensGenerator.IdsPerDay));

    /// <summary>Applies the next day: its new rows, then its changes to earlier rows, which it returns.</summary>
    public (ApplyLensDay Added, ApplyLensChanges Changed) Advance()
    {
        var day = Last.AddDays(1);
        var changes = Change(day);
        var added = _generator.Day(day);
        foreach (var email in added.Emails)
        {
            _emails[email.Id] = email;
        }

        foreach (var application in added.Applications)
        {
            _applications[application.Id] = application;
        }

        Last = day;
        return (added, changes);
    }

    private ApplyLensChanges Change(DateOnly day)
    {
        var random = DemoRandom.For(_seed, day.DayNumber, 1);
        var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        DateTime At() => start.AddSeconds(random.Next(86_400));

        var emails = new List<EmailRow>();
        var deletedEmails = new List<long>();
        foreach (var email in _emails.Values.Where(e => CreatedOn(e.Id) >= day.AddDays(-14)).ToList())
        {
            if (email.RiskScore >= 90 && random.Chance(0.1))
            {
                deletedEmails.Add(email.Id);
            }
            else if (email.RiskScore is null ? random.Chance(0.2) : random.Chance(0.01))
            {
                var at = At();
                var risk = Math.Round(Math.Clamp(random.Normal(email.RiskScore ?? 30, 10), 0, 100), 1);
                var features = FormattableString.Invariant($$"""{"computed_at": "{{at:yyyy-MM-ddTHH:mm:ssZ}}", "source": "rescore", "confidence": {{Math.Round(0.6 + (random.NextDouble() * 0.39), 2)}}}""");
                emails.Add(email with { RiskScore = risk, FeaturesJson = features, UpdatedAt = at });
            }
        }

        var applications = new List<ApplicationRow>();
        var deletedApplications = new List<long>();
        foreach (var application in _applications.Values.Where(a => CreatedOn(a.Id) >= day.AddDays(-30)).ToList())
        {
            if (random.Chance(0.005))
            {
                deletedApplications.Add(application.Id);
            }
            else if (Open.Contains(application.Status) && random.Chance(0.06))
            {
                applications.Add(application with { Status = Next(random, application.Status), UpdatedAt = At() });
            }
        }

        foreach (var email in emails)
        {
            _emails[email.Id] = email;
        }

        foreach (var application in applications)
        {
            _applications[application.Id] = application;
        }

        deletedEmails.ForEach(id => _emails.Remove(id));
        deletedApplications.ForEach(id => _applications.Remove(id));
        return new ApplyLensChanges(day, emails, applications, deletedEmails, deletedApplications);
    }

    // Where an open application goes next.
    private static string Next(DemoRandom random, string status) => status switch
    {
        "applied" or "submitted" => random.Pick([("phone_screen", 4.0), ("rejected", 4.0), ("ghosted", 2.0)]),
        "phone_screen" => random.Pick([("interviewing", 6.0), ("rejected", 4.0)]),
        "interviewing" => random.Pick([("offer", 3.5), ("rejected", 6.5)]),
        _ => random.Pick([("accepted", 6.0), ("withdrawn", 4.0)]),
    };
}

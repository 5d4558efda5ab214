namespace Sluice.Demo.Teei;

// What users do in programs: they enroll, take the steps planned for them when they enrolled,
// and write texts whose outcome dimensions the classifier scores — and now and then re-scores.
public sealed partial class TeeiState
{
    private const int RecentDays = 30;
    private static readonly (TeeiProgram Item, double Weight)[] ProgramWeights = [.. TeeiVocabulary.Programs.Zip([4.0, 3.0, 2.0, 2.0])];

    // How many texts users write on each day of the week, relative to a midweek day; Sunday first.
    private static readonly double[] WeekdayVolume = [0.2, 1.05, 1.1, 1.1, 1.0, 0.8, 0.25];

    // Each user's latest enrollment, and when that enrollment has run its course so that the
    // user may enroll again.
    private readonly Dictionary<Guid, Guid> _latest = [];
    private readonly Dictionary<Guid, DateTime> _busyUntil = [];

    // The steps enrollments will take, by day, planned when they enroll: a day looks at its own.
    private readonly SortedDictionary<DateOnly, List<(Guid Enrollment, string Status, DateTime At)>> _agenda = [];

    // The score keys of each text of the last days, by day: the texts a dispute may re-score.
    private readonly SortedDictionary<DateOnly, List<string[]>> _recentTexts = [];

    private void Enroll(DemoRandom random, TeeiUserRow user, DateTime at, Changes? changes)
    {
        var program = random.Pick(ProgramWeights);
        var id = NextId(TeeiTables.Enrollments);
        Write(changes, TeeiTables.Enrollments, new TeeiEnrollmentRow(id, user.CompanyId, user.Id, program.Name, "enrolled", at, null, null, at));
        _latest[user.Id] = id;

        // A user who is never matched gives up after a month; a matched one who never completes
        // drifts off a month after the program would have ended.
        var until = at.AddDays(30);
        if (random.Chance(program.MatchChance))
        {
            var matched = WorkingTime(random, TeeiTables.Day(at).AddDays(1 + random.Next(7) + random.Next(8)));
            Plan(id, "matched", matched);
            until = matched.AddDays((program.WeeksLong * 7) + 30);
            if (random.Chance(program.CompleteChance))
            {
                var completed = WorkingTime(random, TeeiTables.Day(matched).AddDays((program.WeeksLong * 7) + random.Next(-7, 15)));
                Plan(id, "completed", completed);
                until = completed;
            }
        }

        _busyUntil[user.Id] = until;
    }

    private void Plan(Guid enrollment, string status, DateTime at)
    {
        var day = TeeiTables.Day(at);
        if (!_agenda.TryGetValue(day, out var steps))
        {
            _agenda[day] = steps = [];
        }

        steps.Add((enrollment, status, at));
    }

    private void TakeSteps(DateOnly day, Changes? changes)
    {
        if (!_agenda.Remove(day, out var steps))
        {
            return;
        }

        foreach (var (id, status, at) in steps)
        {
            var enrollment = (TeeiEnrollmentRow)_rows[TeeiTables.Enrollments][Text(id)];
            Write(changes, TeeiTables.Enrollments, status == "matched"
                ? enrollment with { Status = status, MatchedAt = at, UpdatedAt = at }
                : enrollment with { Status = status, CompletedAt = at, UpdatedAt = at });
        }
    }

    // Users free of a running enrollment sign up for one, new users most readily.
    private void NewEnrollments(DemoRandom random, DateOnly day, Changes changes)
    {
        var start = Start(day);
        var weekend = IsWeekend(day);
        foreach (var user in Rows<TeeiUserRow>(TeeiTables.Users).ToList())
        {
            var at = Hour(start, Math.Clamp(random.Normal(12, 3), 0, 23.99));
            if (at <= user.CreatedAt || (_busyUntil.TryGetValue(user.Id, out var until) && until > at))
            {
                continue;
            }

            var chance = user.CreatedAt > start.AddDays(-14) ? 0.06 : 0.006;
            if (random.Chance(weekend ? chance * 0.3 : chance))
            {
                Enroll(random, user, at, changes);
            }
        }
    }

    // A few scores of recent texts are disputed and scored again, every dimension of the text at once.
    private void Rescore(DemoRandom random, DateOnly day, Func<DateTime> at, Changes changes)
    {
        foreach (var old in _recentTexts.Keys.Where(d => d < day.AddDays(-RecentDays)).ToList())
        {
            _recentTexts.Remove(old);
        }

        var scores = _rows[TeeiTables.Scores];
        foreach (var text in _recentTexts.Values.SelectMany(texts => texts))
        {
            if (!random.Chance(0.001))
            {
                continue;
            }

            var time = at();
            foreach (var key in text)
            {
                var row = (TeeiScoreRow)scores[key];
                var (score, confidence) = TeeiOutcomes.Rescore(random, row);
                Write(changes, TeeiTables.Scores, row with { Score = score, Confidence = confidence, ModelVersion = TeeiVocabulary.RescoreModelVersion, UpdatedAt = time });
            }
        }
    }

    // Users in a program write texts — feedback on their sessions once matched, check-in notes
    // before and after — and the classifier scores each text's dimensions seconds later.
    private void WriteTexts(DemoRandom random, DateOnly day, Changes changes)
    {
        var start = Start(day);
        var end = start.AddDays(1).AddSeconds(-1);
        var volume = WeekdayVolume[(int)day.DayOfWeek] * Math.Max(0.5, DemoRandom.For(_seed, day.DayNumber, 2).Normal(1, 0.15));
        var texts = new List<string[]>();
        foreach (var user in Rows<TeeiUserRow>(TeeiTables.Users))
        {
            if (!_latest.TryGetValue(user.Id, out var latest))
            {
                continue;
            }

            var enrollment = (TeeiEnrollmentRow)_rows[TeeiTables.Enrollments][Text(latest)];
            var program = TeeiVocabulary.Programs.First(p => p.Name == enrollment.Program);
            var at = Hour(start, Math.Clamp(random.Normal(IsWeekend(day) ? 14 : 13, 3), 0.1, 23.9));
            var (chance, feedback) = enrollment switch
            {
                _ when enrollment.EnrolledAt > at => (0.0, 0.0),
                { CompletedAt: { } completed } when completed <= at => ((at - completed).TotalDays <= 21 ? 0.05 : 0, 0.4),
                { MatchedAt: { } matched } when matched <= at => (0.14, 0.7),
                _ => ((at - enrollment.EnrolledAt).TotalDays <= 30 ? 0.04 : 0, 0.0),
            };
            if (!random.Chance(chance * volume))
            {
                continue;
            }

            var textType = random.Chance(feedback) ? program.FeedbackType : "checkin_note";
            var textId = NextTextId();
            var scoredAt = Min(at.AddSeconds(random.Next(2, 40)), end);
            var dimensions = Enumerable.Range(0, TeeiVocabulary.Dimensions.Count)
                .Where(d => random.Chance(TeeiVocabulary.Dimensions[d] == "lang_level_proxy" ? 0.75 : 0.9)).DefaultIfEmpty(0).ToList();
            var keys = new List<string>();
            foreach (var d in dimensions)
            {
                var (score, confidence) = _outcomes.Score(random, enrollment, program, d, textType, at);
                var row = new TeeiScoreRow(NextId(TeeiTables.Scores), user.CompanyId, user.Id, textId, textType, TeeiVocabulary.Dimensions[d], score, confidence, TeeiVocabulary.ModelVersion, scoredAt, scoredAt);
                Write(changes, TeeiTables.Scores, row);
                keys.Add(Text(row.Id));
            }

            texts.Add([.. keys]);
        }

        _recentTexts[day] = texts;
    }
}

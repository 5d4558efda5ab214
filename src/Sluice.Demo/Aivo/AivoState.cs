namespace Sluice.Demo.Aivo;

/// <summary>How big the generated product is.</summary>
/// <param name="Tenants">Schools at the start.</param>
/// <param name="LearnersPerTenant">Learners of each school at the start.</param>
/// <param name="NewLearnerChance">The chance that a weekday brings a new learner.</param>
public sealed record AivoScale(int Tenants, int LearnersPerTenant, double NewLearnerChance)
{
    /// <summary>The demo's size: four schools of thirty learners, about sixty sessions a weekday.</summary>
    public static AivoScale Default { get; } = new(4, 30, 0.6);

    /// <summary>A size for tests: two schools of eight learners.</summary>
    public static AivoScale Small { get; } = new(2, 8, 0.4);
}

/// <summary>What one day did to the product's tables: rows written (new or changed) and keys deleted, per table.</summary>
/// <param name="Day">The day.</param>
/// <param name="Written">New and changed rows, as they now are, per table.</param>
/// <param name="Deleted">Deleted keys, per table.</param>
public sealed record AivoChanges(DateOnly Day, IReadOnlyDictionary<AivoTable, IReadOnlyList<IAivoRow>> Written, IReadOnlyDictionary<AivoTable, IReadOnlyList<object>> Deleted);

/// <summary>
/// The AIVO product's tables as of a day. Each day, schools, learners, accounts and the
/// curriculum change now and then (schools renamed or leaving, learners moving up a grade or to
/// another school, e-mail addresses changed, parent accounts and retired skills deleted), at
/// most once per row and day and never on the day a row is made; then learners hold sessions of
/// activities and answers, with focus events and AI recommendations, hand in homework, and the
/// product snapshots their mastery at night; earlier rows change too (homework graded,
/// recommendations answered, abandoned sessions closed). Everything follows from the seed and
/// the first day, so building the same range twice gives the same rows.
/// </summary>
public sealed class AivoState
{
    private static readonly string[] Plans = ["basic", "standard", "premium"];
    private static readonly string[] SchoolNames = ["Northfield", "Riverside", "Hillcrest", "Lakeview", "Oakwood", "Maple Grove", "Westbrook", "Eastgate", "Pinecrest", "Brookside"];
    private static readonly string[] SchoolKinds = ["Elementary", "Academy", "Middle School", "Learning Center"];
    private static readonly string[] FirstNames = ["Ava", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kai", "Lena", "Milo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara"];
    private static readonly string[] LastNames = ["Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jones", "Khan", "Lopez", "Murphy", "Nguyen", "Okafor", "Patel"];
    private static readonly (string Id, string Name, string[] Skills)[] Curriculum =
    [
        ("math", "Mathematics", ["Counting", "Addition", "Fractions", "Decimals", "Ratios", "Linear equations"]),
        ("reading", "Reading", ["Phonics", "Sight words", "Main idea", "Inference", "Vocabulary in context", "Author's purpose"]),
        ("science", "Science", ["Living things", "Weather", "Forces", "Matter", "Ecosystems", "Energy"]),
        ("writing", "Writing", ["Sentences", "Paragraphs", "Narratives", "Opinion pieces", "Research notes", "Editing"]),
    ];

    private static readonly string[] GradeBands = ["K-2", "3-5", "6-8", "9-12"];
    private static readonly (string Item, double Weight)[] FocusTypes = [("focus_lost", 4), ("idle", 3), ("tab_switch", 2), ("focus_regained", 3)];
    private static readonly (string Item, double Weight)[] RecommendationKinds = [("practice", 5), ("review", 3), ("challenge", 2)];

    private readonly long _seed;
    private readonly AivoScale _scale;
    private readonly Dictionary<AivoTable, SortedDictionary<string, IAivoRow>> _rows = [];
    private readonly Dictionary<string, List<IAivoRow>> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateOnly> _deletedOn = new(StringComparer.Ordinal);
    private readonly Dictionary<(Guid Learner, Guid Skill), double> _mastery = [];
    private readonly Dictionary<AivoTable, long> _counters = [];

    // Rows that a later day may still change, by key: so that a day looks at them, not at every row.
    private readonly SortedSet<string> _ungraded = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _unanswered = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _open = new(StringComparer.Ordinal);

    private AivoState(long seed, DateOnly first, AivoScale scale)
    {
        _seed = seed;
        _scale = scale;
        First = first;
        Last = first.AddDays(-1);
        foreach (var table in AivoTables.All)
        {
            _rows[table] = new SortedDictionary<string, IAivoRow>(StringComparer.Ordinal);
            _counters[table] = 0;
        }
    }

    /// <summary>The first day with events.</summary>
    public DateOnly First { get; }

    /// <summary>The last day applied.</summary>
    public DateOnly Last { get; private set; }

    /// <summary>The rows of <paramref name="table"/> as of <see cref="Last"/>, by key.</summary>
    public IReadOnlyCollection<IAivoRow> Rows(AivoTable table) => _rows[table].Values;

    /// <summary>The rows of <paramref name="table"/> as of <see cref="Last"/>, typed.</summary>
    public IEnumerable<T> Rows<T>(AivoTable table) => _rows[table].Values.Cast<T>();

    /// <summary>Every version a dimension row has had, oldest first; the last is current unless the row was deleted.</summary>
    public IReadOnlyList<IAivoRow> Versions(AivoTable table, object key) => _versions.TryGetValue(VersionKey(table, key), out var versions) ? versions : [];

    /// <summary>The day a dimension row was deleted, or null while it exists.</summary>
    public DateOnly? DeletedOn(AivoTable table, object key) => _deletedOn.TryGetValue(VersionKey(table, key), out var day) ? day : null;

    /// <summary>The keys of every dimension row there has been, deleted ones too.</summary>
    public IEnumerable<object> EverKeys(AivoTable table) =>
        _versions.Where(v => v.Key.StartsWith(table.Name + "/", StringComparison.Ordinal)).Select(v => v.Value[0].Key);

    /// <summary>The tables after the initial population and every day from <paramref name="first"/> to <paramref name="last"/>.</summary>
    public static AivoState Build(long seed, DateOnly first, DateOnly last, AivoScale? scale = null)
    {
        var state = new AivoState(seed, first, scale ?? AivoScale.Default);
        state.Populate();
        while (state.Last < last)
        {
            state.Advance();
        }

        return state;
    }

    /// <summary>Applies the next day and returns what it changed.</summary>
    public AivoChanges Advance()
    {
        var day = Last.AddDays(1);
        var changes = new Changes(day);
        var random = DemoRandom.For(_seed, day.DayNumber, 1);
        var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        DateTime At() => start.AddSeconds(random.Next(86_400));

        ChangeDimensions(random, day, At, changes);
        var practised = new List<(Guid Learner, Guid Skill)>();
        var attempts = new Dictionary<(Guid, Guid), int>();
        var skills = Rows<SkillRow>(AivoTables.Skills).ToLookup(k => k.SubjectId, k => k.Id);
        foreach (var learner in Rows<LearnerRow>(AivoTables.Learners).ToList())
        {
            LearningDay(random, day, start, learner.Id, skills, practised, attempts, changes);
        }

        HomeworkDay(random, day, start, changes);
        ChangeEarlierEvents(random, day, At, changes);
        foreach (var (learner, skill) in practised)
        {
            var id = NextId(AivoTables.SkillProgress);
            Write(changes, AivoTables.SkillProgress, new SkillProgressRow(id, learner, skill, day, Math.Round(_mastery[(learner, skill)], 4), attempts[(learner, skill)], start.AddHours(23).AddMinutes(55)));
        }

        Last = day;
        return changes.ToRecord();
    }

    private void Populate()
    {
        var random = DemoRandom.For(_seed, 0);
        var created = First.AddDays(-60).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        foreach (var (id, name, skills) in Curriculum)
        {
            Write(null, AivoTables.Subjects, new SubjectRow(id, name, $"{name} for every grade.", true, created));
            for (var i = 0; i < skills.Length; i++)
            {
                var band = GradeBands[Math.Min(GradeBands.Length - 1, i * GradeBands.Length / skills.Length)];
                Write(null, AivoTables.Skills, new SkillRow(NextId(AivoTables.Skills), id, $"{id.ToUpperInvariant()}-{i + 1}", skills[i], band, created));
            }
        }

        for (var t = 0; t < _scale.Tenants; t++)
        {
            var tenant = new TenantRow(NextId(AivoTables.Tenants), $"{SchoolNames[t % SchoolNames.Length]} {SchoolKinds[t % SchoolKinds.Length]}", random.Pick(Plans), true, created.AddMinutes(t), created.AddMinutes(t));
            Write(null, AivoTables.Tenants, tenant);
            for (var teacher = 0; teacher < 2; teacher++)
            {
                NewUser(random, tenant.Id, "teacher", created.AddMinutes(t), null);
            }

            for (var l = 0; l < _scale.LearnersPerTenant; l++)
            {
                NewLearner(random, tenant.Id, created.AddMinutes(t).AddSeconds(l + 1), null);
            }
        }
    }

    private void NewLearner(DemoRandom random, Guid tenant, DateTime at, Changes? changes)
    {
        var learner = new LearnerRow(NextId(AivoTables.Learners), tenant, $"{random.Pick(FirstNames)} {random.Pick(LastNames)}", random.Next(1, 13), at, at);
        Write(changes, AivoTables.Learners, learner);
        if (random.Chance(0.6))
        {
            NewUser(random, tenant, "parent", at, changes);
        }
    }

    private void NewUser(DemoRandom random, Guid tenant, string role, DateTime at, Changes? changes)
    {
        var first = random.Pick(FirstNames);
        var last = random.Pick(LastNames);
        var id = NextId(AivoTables.Users);
        Write(changes, AivoTables.Users, new UserRow(id, tenant, role, $"{first} {last}", $"{first}.{last}.{id.ToString()[..4]}@example.org".ToLowerInvariant(), at, at));
    }

    // Each row changes at most once a day, and not on the day it was made.
    private void ChangeDimensions(DemoRandom random, DateOnly day, Func<DateTime> at, Changes changes)
    {
        var dayStart = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        foreach (var tenant in Rows<TenantRow>(AivoTables.Tenants).Where(t => t.CreatedAt < dayStart && t.IsActive).ToList())
        {
            if (random.Chance(0.01))
            {
                // A school is renamed by what it is: Northfield Elementary becomes Northfield Academy.
                var kind = Array.FindIndex(SchoolKinds, k => tenant.Name.EndsWith(" " + k, StringComparison.Ordinal));
                var place = tenant.Name[..^(SchoolKinds[kind].Length + 1)];
                Write(changes, AivoTables.Tenants, tenant with { Name = $"{place} {SchoolKinds[(kind + 1) % SchoolKinds.Length]}", UpdatedAt = at() });
            }
            else if (random.Chance(0.004) && Rows<TenantRow>(AivoTables.Tenants).Count(t => t.IsActive) > 1)
            {
                Write(changes, AivoTables.Tenants, tenant with { IsActive = false, UpdatedAt = at() });
            }
        }

        var active = Rows<TenantRow>(AivoTables.Tenants).Where(t => t.IsActive).Select(t => t.Id).ToList();
        foreach (var learner in Rows<LearnerRow>(AivoTables.Learners).Where(l => l.CreatedAt < dayStart).ToList())
        {
            if (random.Chance(0.006) && learner.Grade < 12)
            {
                Write(changes, AivoTables.Learners, learner with { Grade = learner.Grade + 1, UpdatedAt = at() });
            }
            else if (random.Chance(0.004) && active.Count > 1)
            {
                var tenant = random.Pick(active.Where(t => t != learner.TenantId).ToList());
                Write(changes, AivoTables.Learners, learner with { TenantId = tenant, UpdatedAt = at() });
            }
        }

        foreach (var user in Rows<UserRow>(AivoTables.Users).Where(u => u.CreatedAt < dayStart).ToList())
        {
            if (random.Chance(0.005))
            {
                Write(changes, AivoTables.Users, user with { Email = $"{user.DisplayName.Replace(' ', '.')}.{random.Next(10, 99)}@mail.example.org".ToLowerInvariant(), UpdatedAt = at() });
            }
            else if (user.Role == "parent" && random.Chance(0.003))
            {
                Delete(changes, AivoTables.Users, user.Id, day);
            }
        }

        foreach (var subject in Rows<SubjectRow>(AivoTables.Subjects).ToList())
        {
            if (random.Chance(0.02))
            {
                // An editorial change: the row's time moves on, what the subject is does not.
                Write(changes, AivoTables.Subjects, subject with { Description = $"{subject.Name}, revised {day:yyyy-MM-dd}.", UpdatedAt = at() });
            }
            else if (random.Chance(0.005))
            {
                var name = subject.Name.EndsWith(" & Skills", StringComparison.Ordinal) ? subject.Name[..^" & Skills".Length] : subject.Name + " & Skills";
                Write(changes, AivoTables.Subjects, subject with { Name = name, UpdatedAt = at() });
            }
        }

        foreach (var skill in Rows<SkillRow>(AivoTables.Skills).ToList())
        {
            if (random.Chance(0.004))
            {
                var band = GradeBands[(Array.IndexOf(GradeBands, skill.GradeBand) + 1) % GradeBands.Length];
                Write(changes, AivoTables.Skills, skill with { GradeBand = band, UpdatedAt = at() });
            }
            else if (random.Chance(0.002) && Rows<SkillRow>(AivoTables.Skills).Count(s => s.SubjectId == skill.SubjectId) > 3)
            {
                Delete(changes, AivoTables.Skills, skill.Id, day);
            }
        }

        if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && random.Chance(_scale.NewLearnerChance) && active.Count > 0)
        {
            NewLearner(random, random.Pick(active), at(), changes);
        }
    }

    // A learner's sessions of a day, with their activities, answers, focus events and recommendations.
    private void LearningDay(DemoRandom random, DateOnly day, DateTime dayStart, Guid learnerId, ILookup<string, Guid> skillsBySubject, List<(Guid, Guid)> practised, Dictionary<(Guid, Guid), int> attempts, Changes changes)
    {
        var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        if (!random.Chance(weekend ? 0.15 : 0.55))
        {
            return;
        }

        var count = random.Chance(0.8) ? 1 : 2;
        for (var s = 0; s < count; s++)
        {
            var startedAt = dayStart.AddHours(7).AddSeconds(random.Next(14 * 3600));
            if (At(AivoTables.Learners, learnerId, startedAt) is not LearnerRow learner
                || At(AivoTables.Tenants, learner.TenantId, startedAt) is not TenantRow { IsActive: true })
            {
                continue;
            }

            var subject = random.Pick(Curriculum).Id;
            var skills = skillsBySubject[subject].ToList();
            if (skills.Count == 0)
            {
                continue;
            }

            var sessionId = NextId(AivoTables.Sessions);
            var time = startedAt;
            var activities = random.Next(1, 6);
            for (var a = 0; a < activities; a++)
            {
                var skill = random.Pick(skills);
                var activityId = NextId(AivoTables.Activities);
                var activityStart = time.AddSeconds(random.Next(10, 60));
                time = activityStart;
                var answers = random.Next(2, 7);
                if (!_mastery.ContainsKey((learnerId, skill)))
                {
                    _mastery[(learnerId, skill)] = 0.3 + (0.4 * random.NextDouble());
                }

                if (!attempts.ContainsKey((learnerId, skill)))
                {
                    attempts[(learnerId, skill)] = 0;
                    practised.Add((learnerId, skill));
                }

                for (var n = 0; n < answers; n++)
                {
                    time = time.AddSeconds(random.Next(20, 90));
                    var correct = random.Chance(0.25 + (0.7 * _mastery[(learnerId, skill)]));
                    _mastery[(learnerId, skill)] = Math.Clamp(_mastery[(learnerId, skill)] + (correct ? 0.02 : -0.01), 0, 1);
                    attempts[(learnerId, skill)]++;
                    Write(changes, AivoTables.Responses, new ResponseRow(NextId(AivoTables.Responses), activityId, correct, time));
                }

                DateTime? completed = random.Chance(0.85) ? time.AddSeconds(5) : null;
                Write(changes, AivoTables.Activities, new ActivityRow(activityId, sessionId, skill, activityStart, completed));
                time = time.AddSeconds(10);
            }

            DateTime? endedAt = random.Chance(0.03) ? null : time.AddSeconds(random.Next(30, 300));
            var end = endedAt ?? time;
            var length = (int)(end - startedAt).TotalSeconds;
            for (var f = random.Next(0, 4); f > 0; f--)
            {
                Write(changes, AivoTables.FocusEvents, new FocusEventRow(NextId(AivoTables.FocusEvents), sessionId, learnerId, random.Pick(FocusTypes), startedAt.AddSeconds(random.Next(Math.Max(1, length))), random.Next(5, 240)));
            }

            if (random.Chance(0.5))
            {
                var shown = startedAt.AddSeconds(random.Next(Math.Max(1, length)));
                var respond = random.Chance(0.3);
                var responded = respond ? Min(shown.AddSeconds(random.Next(10, 600)), dayStart.AddDays(1).AddSeconds(-1)) : (DateTime?)null;
                var status = respond ? (random.Chance(0.6) ? "accepted" : "dismissed") : "shown";
                Write(changes, AivoTables.Recommendations, new RecommendationRow(NextId(AivoTables.Recommendations), learnerId, random.Pick(skills), random.Pick(RecommendationKinds), shown, status, responded, responded ?? shown));
            }

            Write(changes, AivoTables.Sessions, new SessionRow(sessionId, learner.TenantId, learnerId, subject, startedAt, endedAt, end));
        }
    }

    private void HomeworkDay(DemoRandom random, DateOnly day, DateTime dayStart, Changes changes)
    {
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return;
        }

        foreach (var learner in Rows<LearnerRow>(AivoTables.Learners).Where(l => l.CreatedAt < dayStart).ToList())
        {
            if (random.Chance(0.2))
            {
                var submitted = dayStart.AddHours(15).AddSeconds(random.Next(8 * 3600));
                var due = dayStart.AddDays(random.Next(0, 2)).AddHours(18);
                Write(changes, AivoTables.Homework, new HomeworkRow(NextId(AivoTables.Homework), learner.Id, random.Pick(Curriculum).Id, due, submitted, null, null, submitted));
            }
        }
    }

    // Teachers grade homework, learners answer recommendations, a cleanup closes abandoned sessions.
    private void ChangeEarlierEvents(DemoRandom random, DateOnly day, Func<DateTime> at, Changes changes)
    {
        var dayStart = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        foreach (var homework in Pending(_ungraded, AivoTables.Homework).Cast<HomeworkRow>().Where(h => h.SubmittedAt < dayStart).ToList())
        {
            if (random.Chance(0.6))
            {
                var graded = at();
                Write(changes, AivoTables.Homework, homework with { Score = Math.Round(Math.Clamp(random.Normal(76, 14), 0, 100), 1), GradedAt = graded, UpdatedAt = graded });
            }
        }

        foreach (var recommendation in Pending(_unanswered, AivoTables.Recommendations).Cast<RecommendationRow>().Where(r => r.ShownAt < dayStart).ToList())
        {
            if (recommendation.ShownAt < dayStart.AddDays(-3))
            {
                // Left unanswered for good.
                _unanswered.Remove(recommendation.Id.ToString("D"));
            }
            else if (random.Chance(0.4))
            {
                var responded = at();
                Write(changes, AivoTables.Recommendations, recommendation with { Status = random.Chance(0.6) ? "accepted" : "dismissed", RespondedAt = responded, UpdatedAt = responded });
            }
        }

        foreach (var session in Pending(_open, AivoTables.Sessions).Cast<SessionRow>().Where(s => s.StartedAt < dayStart).ToList())
        {
            var cleanup = dayStart.AddHours(2).AddSeconds(random.Next(3600));
            Write(changes, AivoTables.Sessions, session with { EndedAt = session.StartedAt.AddMinutes(20), UpdatedAt = cleanup });
        }
    }

    private List<IAivoRow> Pending(SortedSet<string> keys, AivoTable table) => [.. keys.Select(k => _rows[table][k])];

    // The version of a dimension row current at a time, or null when there was none.
    private IAivoRow? At(AivoTable table, object key, DateTime time) =>
        Versions(table, key).LastOrDefault(v => UpdatedAt(v) <= time);

    private static DateTime UpdatedAt(IAivoRow row) => row switch
    {
        TenantRow t => t.UpdatedAt,
        LearnerRow l => l.UpdatedAt,
        UserRow u => u.UpdatedAt,
        SubjectRow s => s.UpdatedAt,
        SkillRow k => k.UpdatedAt,
        _ => throw new ArgumentException($"{row.GetType().Name} is not a dimension row.", nameof(row)),
    };

    private void Write(Changes? changes, AivoTable table, IAivoRow row)
    {
        var key = Text(row.Key);
        _rows[table][key] = row;
        if (table.IsDimension)
        {
            var versionKey = VersionKey(table, row.Key);
            if (!_versions.TryGetValue(versionKey, out var versions))
            {
                _versions[versionKey] = versions = [];
            }

            versions.Add(row);
        }

        changes?.Write(table, row);
        switch (row)
        {
            case HomeworkRow homework:
                Track(_ungraded, key, homework.Score is null);
                break;
            case RecommendationRow recommendation:
                Track(_unanswered, key, recommendation.Status == "shown");
                break;
            case SessionRow session:
                Track(_open, key, session.EndedAt is null);
                break;
        }
    }

    private static void Track(SortedSet<string> pending, string key, bool isPending)
    {
        if (isPending)
        {
            pending.Add(key);
        }
        else
        {
            pending.Remove(key);
        }
    }

    private void Delete(Changes changes, AivoTable table, object key, DateOnly day)
    {
        _rows[table].Remove(Text(key));
        _deletedOn[VersionKey(table, key)] = day;
        changes.Delete(table, key);
    }

    // Keys are made from the seed, the table and a count, so equal runs make equal keys.
    private Guid NextId(AivoTable table)
    {
        var random = DemoRandom.For(_seed, AivoTables.All.ToList().IndexOf(table) + 100, _counters[table]++);
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, random.NextBits());
        BitConverter.TryWriteBytes(bytes[8..], random.NextBits());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static string VersionKey(AivoTable table, object key) => $"{table.Name}/{Text(key)}";

    private static string Text(object key) => key is Guid guid ? guid.ToString("D") : key.ToString()!;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    // A day's changes, with only the last written form of a row kept.
    private sealed class Changes(DateOnly day)
    {
        private readonly Dictionary<AivoTable, Dictionary<string, IAivoRow>> _written = [];
        private readonly Dictionary<AivoTable, List<object>> _deleted = [];

        public void Write(AivoTable table, IAivoRow row)
        {
            if (!_written.TryGetValue(table, out var rows))
            {
                _written[table] = rows = [];
            }

            rows[Text(row.Key)] = row;
        }

        public void Delete(AivoTable table, object key)
        {
            if (!_deleted.TryGetValue(table, out var keys))
            {
                _deleted[table] = keys = [];
            }

            keys.Add(key);
            _written.GetValueOrDefault(table)?.Remove(Text(key));
        }

        public AivoChanges ToRecord() => new(
            day,
            AivoTables.All.ToDictionary(t => t, t => (IReadOnlyList<IAivoRow>)(_written.TryGetValue(t, out var rows) ? [.. rows.Values] : [])),
            AivoTables.All.ToDictionary(t => t, t => (IReadOnlyList<object>)(_deleted.TryGetValue(t, out var keys) ? [.. keys] : [])));
    }
}

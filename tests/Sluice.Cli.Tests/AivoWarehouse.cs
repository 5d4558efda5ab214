using System.Globalization;
using Sluice.Demo.Aivo;

namespace Sluice.Cli.Tests;

/// <summary>
/// What the AIVO example's warehouse must hold, computed here from the generator's rows and
/// versions — never from the models' output — and compared with what a warehouse holds: the SCD
/// Type 2 history of each dimension, and every column of every fact row for every day, with the
/// dimension versions each fact row is tied to.
/// </summary>
/// <param name="query">Runs SQL on the warehouse and returns its rows.</param>
/// <param name="state">The generator's state, as far as the pipeline has synced it.</param>
/// <param name="closing">What a version's effective_to says when a hard delete set it — the run's time, as the day whose run that was — or null for any other time.</param>
/// <param name="deleted">What <paramref name="closing"/> says for a row deleted on a day.</param>
public sealed class AivoWarehouse(Func<string, List<object?[]>> query, AivoState state, Func<DateTime, string?> closing, Func<DateOnly, string> deleted)
{
    /// <summary>A warehouse whose pipeline ran each day's snapshots at a known time: a delete's closing is placed on its day.</summary>
    public AivoWarehouse(Func<string, List<object?[]>> query, AivoState state, IReadOnlyDictionary<DateOnly, (DateTime From, DateTime To)> closings)
        : this(query, state, time => closings.Where(c => time >= c.Value.From && time <= c.Value.To).Select(c => $"closed {Text(c.Key)}").FirstOrDefault(), day => $"closed {Text(day)}")
    {
    }

    // The columns each dimension's versions are compared on, and those a check snapshot checks.
    private static readonly Dictionary<AivoTable, (string Dimension, string[] Columns, string[]? Checked)> Dimensions = new()
    {
        [AivoTables.Tenants] = ("dim_tenant", ["tenant_id", "tenant_name", "plan", "is_active"], null),
        [AivoTables.Learners] = ("dim_learner", ["learner_id", "tenant_id", "display_name", "grade"], null),
        [AivoTables.Users] = ("dim_user", ["user_id", "tenant_id", "role", "display_name", "email"], null),
        [AivoTables.Subjects] = ("dim_subject", ["subject_id", "subject_name", "is_active"], ["subject_name", "is_active"]),
        [AivoTables.Skills] = ("dim_skill", ["skill_id", "subject_id", "skill_code", "skill_name", "grade_band"], ["subject_id", "skill_code", "skill_name", "grade_band"]),
    };

    /// <summary>Each dimension's versions: attributes, effective_from, effective_to (or the day of the run that closed it on a delete) and is_current.</summary>
    public void AssertDimensions()
    {
        foreach (var (table, (dimension, columns, _)) in Dimensions)
        {
            var expected = state.EverKeys(table)
                .SelectMany(key => ExpectedVersions(table, key).Select(v => Line([.. Attributes(table, v.Row), v.From, (object?)v.To ?? (v.ClosedOn is { } day ? deleted(day) : null), v.To is null && v.ClosedOn is null])))
                .Order(StringComparer.Ordinal)
                .ToList();
            var actual = query($"select {string.Join(", ", columns)}, effective_from, effective_to, is_current from warehouse.{dimension}")
                .Select(r => Line([.. r[..^3], r[^3], Closing(r[^2]), r[^1]]))
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.Equal(expected, actual);
            Assert.Equal(0, Count($"select count(*) from (select {columns[0]} from warehouse.{dimension} where is_current group by {columns[0]} having count(*) > 1) as twice"));
        }
    }

    /// <summary>Every row of the five facts for the days from <paramref name="first"/> to <paramref name="last"/>.</summary>
    public void AssertFacts(DateOnly first, DateOnly last)
    {
        bool InRange(DateTime time) => AivoTables.Day(time) >= first && AivoTables.Day(time) <= last;

        // fact_sessions: measures from the activities and answers, keys of the versions at the start.
        var activities = state.Rows<ActivityRow>(AivoTables.Activities).ToLookup(a => a.SessionId);
        var responses = state.Rows<ResponseRow>(AivoTables.Responses).ToLookup(r => r.ActivityId);
        var sessions = state.Rows<SessionRow>(AivoTables.Sessions).Where(s => InRange(s.StartedAt)).Select(s =>
        {
            var answers = activities[s.Id].SelectMany(a => responses[a.Id]).ToList();
            return Line([
                s.Id, DateKey(s.StartedAt), .. Version(AivoTables.Tenants, s.TenantId, s.StartedAt), .. Version(AivoTables.Learners, s.LearnerId, s.StartedAt),
                .. Version(AivoTables.Subjects, s.SubjectId, s.StartedAt), s.StartedAt, s.EndedAt, s.EndedAt is { } end ? (long)(end - s.StartedAt).TotalSeconds : null,
                activities[s.Id].Count(), activities[s.Id].Count(a => a.CompletedAt is not null), answers.Count, answers.Count(r => r.IsCorrect)]);
        });
        AssertRows(sessions, """
            select f.session_id, f.date_key, t.tenant_id, t.effective_from, l.learner_id, l.effective_from, s.subject_id, s.effective_from,
                   f.started_at, f.ended_at, f.duration_seconds, f.activities_started, f.activities_completed, f.responses, f.correct_responses
            from warehouse.fact_sessions as f
            left join warehouse.dim_tenant as t on t.tenant_key = f.tenant_key
            left join warehouse.dim_learner as l on l.learner_key = f.learner_key
            left join warehouse.dim_subject as s on s.subject_key = f.subject_key
            """);

        var focus = state.Rows<FocusEventRow>(AivoTables.FocusEvents).Where(e => InRange(e.OccurredAt)).Select(e =>
        {
            var learner = (LearnerRow)VersionAt(AivoTables.Learners, e.LearnerId, e.OccurredAt).Row;
            return Line([e.Id, DateKey(e.OccurredAt), e.SessionId, .. Version(AivoTables.Tenants, learner.TenantId, e.OccurredAt), .. Version(AivoTables.Learners, e.LearnerId, e.OccurredAt), e.EventType, e.OccurredAt, e.DurationSeconds]);
        });
        AssertRows(focus, """
            select f.focus_event_id, f.date_key, f.session_id, t.tenant_id, t.effective_from, l.learner_id, l.effective_from, f.event_type, f.occurred_at, f.duration_seconds
            from warehouse.fact_focus_events as f
            left join warehouse.dim_tenant as t on t.tenant_key = f.tenant_key
            left join warehouse.dim_learner as l on l.learner_key = f.learner_key
            """);

        // fact_homework_events: per day and the learner, tenant and subject versions of the hand-in.
        var homework = state.Rows<HomeworkRow>(AivoTables.Homework).Where(h => InRange(h.SubmittedAt))
            .GroupBy(h =>
            {
                var learner = (LearnerRow)VersionAt(AivoTables.Learners, h.LearnerId, h.SubmittedAt).Row;
                return Line([DateKey(h.SubmittedAt), .. Version(AivoTables.Learners, h.LearnerId, h.SubmittedAt), .. Version(AivoTables.Tenants, learner.TenantId, h.SubmittedAt), .. Version(AivoTables.Subjects, h.SubjectId, h.SubmittedAt)]);
            })
            .Select(g => Line([g.Key, g.Count(), g.Count(h => h.SubmittedAt > h.DueAt), g.Count(h => h.Score is not null), g.Any(h => h.Score is not null) ? Math.Round(g.Where(h => h.Score is not null).Average(h => h.Score!.Value), 6) : null]));
        AssertRows(homework, """
            select f.date_key, l.learner_id, l.effective_from, t.tenant_id, t.effective_from, s.subject_id, s.effective_from,
                   f.submissions, f.late_submissions, f.graded_submissions, f.avg_score
            from warehouse.fact_homework_events as f
            left join warehouse.dim_learner as l on l.learner_key = f.learner_key
            left join warehouse.dim_tenant as t on t.tenant_key = f.tenant_key
            left join warehouse.dim_subject as s on s.subject_key = f.subject_key
            """);

        var progress = state.Rows<SkillProgressRow>(AivoTables.SkillProgress).Where(p => p.SnapshotDate >= first && p.SnapshotDate <= last).Select(p =>
        {
            var learner = (LearnerRow)VersionAt(AivoTables.Learners, p.LearnerId, p.CreatedAt).Row;
            return Line([DateKey(p.CreatedAt), p.Id, .. Version(AivoTables.Learners, p.LearnerId, p.CreatedAt), .. Version(AivoTables.Tenants, learner.TenantId, p.CreatedAt), .. Version(AivoTables.Skills, p.SkillId, p.CreatedAt), p.MasteryLevel, p.Attempts]);
        });
        AssertRows(progress, """
            select f.date_key, f.progress_id, l.learner_id, l.effective_from, t.tenant_id, t.effective_from, k.skill_id, k.effective_from, f.mastery_level, f.attempts
            from warehouse.fact_learning_progress as f
            left join warehouse.dim_learner as l on l.learner_key = f.learner_key
            left join warehouse.dim_tenant as t on t.tenant_key = f.tenant_key
            left join warehouse.dim_skill as k on k.skill_key = f.skill_key
            """);

        var recommendations = state.Rows<RecommendationRow>(AivoTables.Recommendations)
            .SelectMany(r => (IEnumerable<(RecommendationRow Row, string Event, DateTime At)>)(r.Status == "shown" ? [(r, "shown", r.ShownAt)] : [(r, "shown", r.ShownAt), (r, r.Status, r.RespondedAt!.Value)]))
            .Where(e => InRange(e.At))
            .Select(e =>
            {
                var learner = (LearnerRow)VersionAt(AivoTables.Learners, e.Row.LearnerId, e.At).Row;
                return Line([e.Row.Id, e.Event, DateKey(e.At), .. Version(AivoTables.Learners, e.Row.LearnerId, e.At), .. Version(AivoTables.Tenants, learner.TenantId, e.At), .. Version(AivoTables.Skills, e.Row.SkillId, e.At), e.Row.Kind, e.At]);
            });
        AssertRows(recommendations, """
            select f.recommendation_id, f.event_type, f.date_key, l.learner_id, l.effective_from, t.tenant_id, t.effective_from, k.skill_id, k.effective_from, f.kind, f.occurred_at
            from warehouse.fact_recommendation_events as f
            left join warehouse.dim_learner as l on l.learner_key = f.learner_key
            left join warehouse.dim_tenant as t on t.tenant_key = f.tenant_key
            left join warehouse.dim_skill as k on k.skill_key = f.skill_key
            """);
    }

    /// <summary>Every table the pipeline builds, as text, to tell whether a run changed anything.</summary>
    public string Dump()
    {
        var tables = new[] { "snapshots.snap_tenant", "snapshots.snap_learner", "snapshots.snap_user", "snapshots.snap_subject", "snapshots.snap_skill", "warehouse.fact_sessions", "warehouse.fact_focus_events", "warehouse.fact_homework_events", "warehouse.fact_learning_progress", "warehouse.fact_recommendation_events" };
        return string.Join("\n", tables.SelectMany(t => query($"select * from {t}").Select(r => $"{t}: {Line(r)}").Order(StringComparer.Ordinal)));
    }

    /// <summary>A version as its dimension row is compared: business key and effective_from.</summary>
    private object?[] Version(AivoTable table, object key, DateTime time) => [key, VersionAt(table, key, time).From];

    private (IAivoRow Row, DateTime From, DateTime? To, DateOnly? ClosedOn) VersionAt(AivoTable table, object key, DateTime time) =>
        ExpectedVersions(table, key).Single(v => v.From <= time && (v.To is null || time < v.To));

    // The versions a daily snapshot keeps: every row version of a timestamp snapshot; for a check
    // snapshot, the first of each run of versions whose checked columns are equal. A deleted row's
    // last version is closed by the run of the day it was deleted.
    private List<(IAivoRow Row, DateTime From, DateTime? To, DateOnly? ClosedOn)> ExpectedVersions(AivoTable table, object key)
    {
        var (_, columns, checkedColumns) = Dimensions[table];
        var kept = new List<IAivoRow>();
        foreach (var version in state.Versions(table, key))
        {
            if (checkedColumns is null || kept.Count == 0 || !Checked(table, kept[^1], columns, checkedColumns).SequenceEqual(Checked(table, version, columns, checkedColumns)))
            {
                kept.Add(version);
            }
        }

        var deleted = state.DeletedOn(table, key);
        return [.. kept.Select((row, i) => (row, UpdatedAt(row), i + 1 < kept.Count ? UpdatedAt(kept[i + 1]) : (DateTime?)null, i + 1 == kept.Count ? deleted : null))];
    }

    private static IEnumerable<string> Checked(AivoTable table, IAivoRow row, string[] columns, string[] checkedColumns)
    {
        var values = Attributes(table, row);
        return checkedColumns.Select(c => Text(values[Array.IndexOf(columns, c)]));
    }

    private static object?[] Attributes(AivoTable table, IAivoRow row) => row switch
    {
        TenantRow t => [t.Id, t.Name, t.Plan, t.IsActive],
        LearnerRow l => [l.Id, l.TenantId, l.DisplayName, l.Grade],
        UserRow u => [u.Id, u.TenantId, u.Role, u.DisplayName, u.Email],
        SubjectRow s => [s.Id, s.Name, s.IsActive],
        SkillRow k => [k.Id, k.SubjectId, k.Code, k.Name, k.GradeBand],
        _ => throw new ArgumentException($"{table.Name} is not a dimension.", nameof(table)),
    };

    private static DateTime UpdatedAt(IAivoRow row) => row switch
    {
        TenantRow t => t.UpdatedAt,
        LearnerRow l => l.UpdatedAt,
        UserRow u => u.UpdatedAt,
        SubjectRow s => s.UpdatedAt,
        SkillRow k => k.UpdatedAt,
        _ => throw new ArgumentException(row.GetType().Name, nameof(row)),
    };

    // A closing time that falls inside a snapshot run is that run's: a hard delete's.
    private object? Closing(object? effectiveTo) => effectiveTo is DateTime to ? closing(to) ?? (object)to : effectiveTo;

    private void AssertRows(IEnumerable<string> expected, string sql)
    {
        var expectedRows = expected.Order(StringComparer.Ordinal).ToList();
        var actual = query(sql).Select(Line).Order(StringComparer.Ordinal).ToList();
        Assert.True(expectedRows.Count > 0, $"the generator made no rows for: {sql}");
        Assert.Equal(expectedRows, actual);
    }

    private long Count(string sql) => Convert.ToInt64(query(sql)[0][0], CultureInfo.InvariantCulture);

    private static int DateKey(DateTime time) => (time.Year * 10_000) + (time.Month * 100) + time.Day;

    private static string Line(object?[] values) => string.Join("|", values.Select(Text));

    private static string Text(object? value) => value switch
    {
        null or DBNull => "NULL",
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        double number => Math.Round(number, 6).ToString("R", CultureInfo.InvariantCulture),
        decimal number => Math.Round((double)number, 6).ToString("R", CultureInfo.InvariantCulture),
        float number => Math.Round((double)number, 6).ToString("R", CultureInfo.InvariantCulture),
        Guid guid => guid.ToString("D"),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}

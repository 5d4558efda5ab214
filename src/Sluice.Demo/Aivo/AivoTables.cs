namespace Sluice.Demo.Aivo;

/// <summary>A column of an AIVO table and its type, as CSV sources and PostgreSQL name it.</summary>
/// <param name="Name">The column.</param>
/// <param name="Type">uuid, text, integer, boolean, double, date or timestamp.</param>
public sealed record AivoColumn(string Name, string Type)
{
    /// <summary>The type in PostgreSQL's DDL.</summary>
    public string PostgresType => Type == "double" ? "double precision" : Type;
}

/// <summary>
/// One of the AIVO product's tables: its columns, its cursor for an incremental sync, and how
/// its rows are spread over CSV files (one file, or one per day of <see cref="DayOf"/>).
/// </summary>
/// <param name="Name">The table.</param>
/// <param name="Columns">Its columns, the key first.</param>
/// <param name="Cursor">The column a row's changes move on.</param>
/// <param name="DayColumn">The column whose day places a row in the product's days, for events; null for dimensions.</param>
/// <param name="DayOf">The day a row is filed under, for events: the day it was made on.</param>
public sealed record AivoTable(string Name, IReadOnlyList<AivoColumn> Columns, string Cursor, string? DayColumn, Func<IAivoRow, DateOnly>? DayOf)
{
    /// <summary>True for a dimension: its rows are kept in one file.</summary>
    public bool IsDimension => DayOf is null;
}

/// <summary>The AIVO product's twelve tables, dimensions first.</summary>
public static class AivoTables
{
    /// <summary>Schools and districts.</summary>
    public static readonly AivoTable Tenants = new("tenants", Columns("id uuid", "name text", "plan text", "is_active boolean", "created_at timestamp", "updated_at timestamp"), "updated_at", null, null);

    /// <summary>Pupils.</summary>
    public static readonly AivoTable Learners = new("learners", Columns("id uuid", "tenant_id uuid", "display_name text", "grade integer", "created_at timestamp", "updated_at timestamp"), "updated_at", null, null);

    /// <summary>Teachers and parents.</summary>
    public static readonly AivoTable Users = new("users", Columns("id uuid", "tenant_id uuid", "role text", "display_name text", "email text", "created_at timestamp", "updated_at timestamp"), "updated_at", null, null);

    /// <summary>Subjects.</summary>
    public static readonly AivoTable Subjects = new("subjects", Columns("id text", "name text", "description text", "is_active boolean", "updated_at timestamp"), "updated_at", null, null);

    /// <summary>Skills of the curriculum.</summary>
    public static readonly AivoTable Skills = new("skills", Columns("id uuid", "subject_id text", "code text", "name text", "grade_band text", "updated_at timestamp"), "updated_at", null, null);

    /// <summary>Learning sessions.</summary>
    public static readonly AivoTable Sessions = new(
        "sessions", Columns("id uuid", "tenant_id uuid", "learner_id uuid", "subject_id text", "started_at timestamp", "ended_at timestamp", "updated_at timestamp"), "updated_at", "started_at", r => Day(((SessionRow)r).StartedAt));

    /// <summary>Activities of sessions.</summary>
    public static readonly AivoTable Activities = new(
        "activities", Columns("id uuid", "session_id uuid", "skill_id uuid", "started_at timestamp", "completed_at timestamp"), "started_at", "started_at", r => Day(((ActivityRow)r).StartedAt));

    /// <summary>Answers given in activities.</summary>
    public static readonly AivoTable Responses = new(
        "responses", Columns("id uuid", "activity_id uuid", "is_correct boolean", "answered_at timestamp"), "answered_at", "answered_at", r => Day(((ResponseRow)r).AnsweredAt));

    /// <summary>Focus events of sessions.</summary>
    public static readonly AivoTable FocusEvents = new(
        "focus_events", Columns("id uuid", "session_id uuid", "learner_id uuid", "event_type text", "occurred_at timestamp", "duration_seconds integer"), "occurred_at", "occurred_at", r => Day(((FocusEventRow)r).OccurredAt));

    /// <summary>Homework submissions.</summary>
    public static readonly AivoTable Homework = new(
        "homework_submissions", Columns("id uuid", "learner_id uuid", "subject_id text", "due_at timestamp", "submitted_at timestamp", "score double", "graded_at timestamp", "updated_at timestamp"), "updated_at", "submitted_at", r => Day(((HomeworkRow)r).SubmittedAt));

    /// <summary>Nightly mastery snapshots.</summary>
    public static readonly AivoTable SkillProgress = new(
        "skill_progress_snapshots", Columns("id uuid", "learner_id uuid", "skill_id uuid", "snapshot_date date", "mastery_level double", "attempts integer", "created_at timestamp"), "created_at", "snapshot_date", r => ((SkillProgressRow)r).SnapshotDate);

    /// <summary>AI recommendations.</summary>
    public static readonly AivoTable Recommendations = new(
        "ai_recommendations", Columns("id uuid", "learner_id uuid", "skill_id uuid", "kind text", "shown_at timestamp", "status text", "responded_at timestamp", "updated_at timestamp"), "updated_at", "shown_at", r => Day(((RecommendationRow)r).ShownAt));

    /// <summary>Every table, dimensions first.</summary>
    public static IReadOnlyList<AivoTable> All { get; } = [Tenants, Learners, Users, Subjects, Skills, Sessions, Activities, Responses, FocusEvents, Homework, SkillProgress, Recommendations];

    /// <summary>The dimensions.</summary>
    public static IReadOnlyList<AivoTable> Dimensions { get; } = [.. All.Where(t => t.IsDimension)];

    /// <summary>The UTC day of a time.</summary>
    public static DateOnly Day(DateTime time) => DateOnly.FromDateTime(time);

    private static AivoColumn[] Columns(params string[] columns) =>
        [.. columns.Select(c => c.Split(' ')).Select(parts => new AivoColumn(parts[0], parts[1]))];
}

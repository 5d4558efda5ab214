namespace Sluice.Demo.Aivo;

/// <summary>A row of one of the AIVO product's tables, as the table's columns hold it.</summary>
public interface IAivoRow
{
    /// <summary>The primary key's value.</summary>
    object Key { get; }

    /// <summary>The values in the order of the table's columns (<see cref="AivoTables"/>).</summary>
    object?[] Values();
}

/// <summary>A school or district using the product.</summary>
/// <param name="Id">The key.</param>
/// <param name="Name">The display name; schools get renamed.</param>
/// <param name="Plan">basic, standard or premium.</param>
/// <param name="IsActive">False once the tenant leaves.</param>
/// <param name="CreatedAt">When it signed up (UTC).</param>
/// <param name="UpdatedAt">The last change (UTC).</param>
public sealed record TenantRow(Guid Id, string Name, string Plan, bool IsActive, DateTime CreatedAt, DateTime UpdatedAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, Name, Plan, IsActive, CreatedAt, UpdatedAt];
}

/// <summary>A learner (a pupil) of a tenant.</summary>
/// <param name="Id">The key.</param>
/// <param name="TenantId">The tenant; learners move between schools.</param>
/// <param name="DisplayName">The name shown.</param>
/// <param name="Grade">The school grade, 1 to 12; moves up.</param>
/// <param name="CreatedAt">When the learner joined (UTC).</param>
/// <param name="UpdatedAt">The last change (UTC).</param>
public sealed record LearnerRow(Guid Id, Guid TenantId, string DisplayName, int Grade, DateTime CreatedAt, DateTime UpdatedAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, TenantId, DisplayName, Grade, CreatedAt, UpdatedAt];
}

/// <summary>A teacher or parent account.</summary>
/// <param name="Id">The key.</param>
/// <param name="TenantId">The tenant.</param>
/// <param name="Role">teacher or parent.</param>
/// <param name="DisplayName">The name shown.</param>
/// <param name="Email">The sign-in address; people change it.</param>
/// <param name="CreatedAt">When the account was made (UTC).</param>
/// <param name="UpdatedAt">The last change (UTC).</param>
public sealed record UserRow(Guid Id, Guid TenantId, string Role, string DisplayName, string Email, DateTime CreatedAt, DateTime UpdatedAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, TenantId, Role, DisplayName, Email, CreatedAt, UpdatedAt];
}

/// <summary>A subject of the curriculum: static configuration, renamed now and then.</summary>
/// <param name="Id">The key, a short code (math, reading, …).</param>
/// <param name="Name">The display name.</param>
/// <param name="Description">Editorial text, edited without changing what the subject is.</param>
/// <param name="IsActive">False once retired.</param>
/// <param name="UpdatedAt">The last edit of any column (UTC).</param>
public sealed record SubjectRow(string Id, string Name, string Description, bool IsActive, DateTime UpdatedAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, Name, Description, IsActive, UpdatedAt];
}

/// <summary>A skill of the curriculum, within a subject.</summary>
/// <param name="Id">The key.</param>
/// <param name="SubjectId">The subject.</param>
/// <param name="Code">The curriculum code (MATH-3.2).</param>
/// <param name="Name">The display name.</param>
/// <param name="GradeBand">K-2, 3-5, 6-8 or 9-12; moves when the curriculum is revised.</param>
/// <param name="UpdatedAt">The last change (UTC).</param>
public sealed record SkillRow(Guid Id, string SubjectId, string Code, string Name, string GradeBand, DateTime UpdatedAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, SubjectId, Code, Name, GradeBand, UpdatedAt];
}

/// <summary>A learning session.</summary>
/// <param name="Id">The key.</param>
/// <param name="TenantId">The learner's tenant when the session started.</param>
/// <param name="LearnerId">The learner.</param>
/// <param name="SubjectId">The subject practised.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="EndedAt">When it ended, or null while open (abandoned sessions are closed by a cleanup the next day).</param>
/// <param name="UpdatedAt">The last change (UTC).</param>
public sealed record SessionRow(Guid Id, Guid TenantId, Guid LearnerId, string SubjectId, DateTime StartedAt, DateTime? EndedAt, DateTime UpdatedAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, TenantId, LearnerId, SubjectId, StartedAt, EndedAt, UpdatedAt];
}

/// <summary>An activity of a session, on one skill.</summary>
/// <param name="Id">The key.</param>
/// <param name="SessionId">The session.</param>
/// <param name="SkillId">The skill practised.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="CompletedAt">When it was completed, or null when left unfinished.</param>
public sealed record ActivityRow(Guid Id, Guid SessionId, Guid SkillId, DateTime StartedAt, DateTime? CompletedAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, SessionId, SkillId, StartedAt, CompletedAt];
}

/// <summary>An answer given in an activity.</summary>
/// <param name="Id">The key.</param>
/// <param name="ActivityId">The activity.</param>
/// <param name="IsCorrect">Whether the answer was right.</param>
/// <param name="AnsweredAt">When it was given (UTC).</param>
public sealed record ResponseRow(Guid Id, Guid ActivityId, bool IsCorrect, DateTime AnsweredAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, ActivityId, IsCorrect, AnsweredAt];
}

/// <summary>A focus event of a session: the learner's attention, as the client reports it.</summary>
/// <param name="Id">The key.</param>
/// <param name="SessionId">The session.</param>
/// <param name="LearnerId">The learner.</param>
/// <param name="EventType">focus_lost, idle, tab_switch or focus_regained.</param>
/// <param name="OccurredAt">When (UTC).</param>
/// <param name="DurationSeconds">How long the learner was away.</param>
public sealed record FocusEventRow(Guid Id, Guid SessionId, Guid LearnerId, string EventType, DateTime OccurredAt, int DurationSeconds) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, SessionId, LearnerId, EventType, OccurredAt, DurationSeconds];
}

/// <summary>A homework submission, graded a day or two later.</summary>
/// <param name="Id">The key.</param>
/// <param name="LearnerId">The learner.</param>
/// <param name="SubjectId">The subject.</param>
/// <param name="DueAt">When it was due (UTC).</param>
/// <param name="SubmittedAt">When it was handed in (UTC).</param>
/// <param name="Score">The grade, 0 to 100, or null until graded.</param>
/// <param name="GradedAt">When it was graded, or null.</param>
/// <param name="UpdatedAt">The last change (UTC).</param>
public sealed record HomeworkRow(Guid Id, Guid LearnerId, string SubjectId, DateTime DueAt, DateTime SubmittedAt, double? Score, DateTime? GradedAt, DateTime UpdatedAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, LearnerId, SubjectId, DueAt, SubmittedAt, Score, GradedAt, UpdatedAt];
}

/// <summary>The product's nightly snapshot of a learner's mastery of a skill practised that day.</summary>
/// <param name="Id">The key.</param>
/// <param name="LearnerId">The learner.</param>
/// <param name="SkillId">The skill.</param>
/// <param name="SnapshotDate">The day it describes.</param>
/// <param name="MasteryLevel">Mastery, 0 to 1.</param>
/// <param name="Attempts">Answers given on the skill that day.</param>
/// <param name="CreatedAt">When the snapshot was taken (UTC, the day's end).</param>
public sealed record SkillProgressRow(Guid Id, Guid LearnerId, Guid SkillId, DateOnly SnapshotDate, double MasteryLevel, int Attempts, DateTime CreatedAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, LearnerId, SkillId, SnapshotDate, MasteryLevel, Attempts, CreatedAt];
}

/// <summary>An AI recommendation shown to a learner, later accepted or dismissed.</summary>
/// <param name="Id">The key.</param>
/// <param name="LearnerId">The learner.</param>
/// <param name="SkillId">The skill recommended.</param>
/// <param name="Kind">practice, review or challenge.</param>
/// <param name="ShownAt">When it was shown (UTC).</param>
/// <param name="Status">shown, accepted or dismissed.</param>
/// <param name="RespondedAt">When the learner accepted or dismissed it, or null.</param>
/// <param name="UpdatedAt">The last change (UTC).</param>
public sealed record RecommendationRow(Guid Id, Guid LearnerId, Guid SkillId, string Kind, DateTime ShownAt, string Status, DateTime? RespondedAt, DateTime UpdatedAt) : IAivoRow
{
    /// <inheritdoc />
    public object Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, LearnerId, SkillId, Kind, ShownAt, Status, RespondedAt, UpdatedAt];
}

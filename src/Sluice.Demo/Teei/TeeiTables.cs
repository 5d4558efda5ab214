namespace Sluice.Demo.Teei;

/// <summary>A column of a TEEI table and its type, as CSV sources and PostgreSQL name it.</summary>
/// <param name="Name">The column.</param>
/// <param name="Type">uuid, text, decimal(4,3) or timestamp.</param>
public sealed record TeeiColumn(string Name, string Type)
{
    /// <summary>The type in PostgreSQL's DDL (the names above are PostgreSQL's own).</summary>
    public string PostgresType => Type;
}

/// <summary>
/// One of the TEEI platform's tables: its columns, its cursor for an incremental sync, how its
/// rows are spread over CSV files (one file, or one per day of <see cref="DayOf"/>), and what
/// PostgreSQL keeps beside it (references and the platform's analytics indexes).
/// </summary>
/// <param name="Name">The table.</param>
/// <param name="Columns">Its columns, the key first.</param>
/// <param name="Cursor">The column a row's changes move on.</param>
/// <param name="DayColumn">The column whose day places a row in the platform's days, for events; null for dimensions.</param>
/// <param name="DayOf">The day a row is filed under, for events: the day it was made on.</param>
/// <param name="References">Columns that hold another table's key: column → table.</param>
/// <param name="Indexes">Indexes, each as its columns in order.</param>
public sealed record TeeiTable(
    string Name,
    IReadOnlyList<TeeiColumn> Columns,
    string Cursor,
    string? DayColumn,
    Func<ITeeiRow, DateOnly>? DayOf,
    IReadOnlyDictionary<string, string> References,
    IReadOnlyList<IReadOnlyList<string>> Indexes)
{
    /// <summary>True for a dimension: its rows are kept in one file.</summary>
    public bool IsDimension => DayOf is null;
}

/// <summary>
/// The four TEEI tables the analytics service syncs from PostgreSQL, dimensions first: the
/// companies (the tenants), their users, the outcome scores the Q2Q classifier gives users' texts,
/// and the program enrollments whose enrolled → matched → completed steps make the funnel.
/// </summary>
public static class TeeiTables
{
    /// <summary>Companies: the tenants, with what benchmarks group them by.</summary>
    public static readonly TeeiTable Companies = new(
        "companies", Columns("id uuid", "name text", "industry text", "region text", "employee_size text", "created_at timestamp", "updated_at timestamp"),
        "updated_at", null, null, References(), Indexes("updated_at"));

    /// <summary>Users of the companies: the participants whose texts are scored.</summary>
    public static readonly TeeiTable Users = new(
        "users", Columns("id uuid", "company_id uuid", "created_at timestamp", "updated_at timestamp"),
        "updated_at", null, null, References("company_id companies"), Indexes("company_id", "updated_at"));

    /// <summary>Program enrollments, a row per user and program with the time of each step.</summary>
    public static readonly TeeiTable Enrollments = new(
        "program_enrollments",
        Columns("id uuid", "company_id uuid", "user_id uuid", "program text", "status text", "enrolled_at timestamp", "matched_at timestamp", "completed_at timestamp", "updated_at timestamp"),
        "updated_at", "enrolled_at", r => Day(((TeeiEnrollmentRow)r).EnrolledAt), References("company_id companies", "user_id users"), Indexes("company_id enrolled_at", "user_id", "updated_at"));

    /// <summary>Outcome scores: one per scored dimension of a user's text.</summary>
    public static readonly TeeiTable Scores = new(
        "outcome_scores",
        Columns("id uuid", "company_id uuid", "user_id uuid", "text_id uuid", "text_type text", "dimension text", "score decimal(4,3)", "confidence decimal(4,3)", "model_version text", "created_at timestamp", "updated_at timestamp"),
        "updated_at", "created_at", r => Day(((TeeiScoreRow)r).CreatedAt), References("company_id companies", "user_id users"),

        // The platform's own analytics indexes (migration 0008), and one for the sync's cursor.
        Indexes("company_id created_at", "dimension", "user_id", "updated_at"));

    /// <summary>Every table, dimensions first and each after the tables it references.</summary>
    public static IReadOnlyList<TeeiTable> All { get; } = [Companies, Users, Enrollments, Scores];

    /// <summary>The dimensions.</summary>
    public static IReadOnlyList<TeeiTable> Dimensions { get; } = [.. All.Where(t => t.IsDimension)];

    /// <summary>The UTC day of a time.</summary>
    public static DateOnly Day(DateTime time) => DateOnly.FromDateTime(time);

    private static TeeiColumn[] Columns(params string[] columns) =>
        [.. columns.Select(c => c.Split(' ')).Select(parts => new TeeiColumn(parts[0], parts[1]))];

    private static Dictionary<string, string> References(params string[] references) =>
        references.Select(r => r.Split(' ')).ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    private static IReadOnlyList<string>[] Indexes(params string[] indexes) => [.. indexes.Select(i => (IReadOnlyList<string>)i.Split(' '))];
}

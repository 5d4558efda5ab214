namespace Sluice.Demo.Teei;

/// <summary>A row of one of the TEEI tables, as the table's columns hold it.</summary>
public interface ITeeiRow
{
    /// <summary>The primary key's value.</summary>
    Guid Key { get; }

    /// <summary>The last change (UTC): every table's cursor.</summary>
    DateTime UpdatedAt { get; }

    /// <summary>The values in the order of the table's columns (<see cref="TeeiTables"/>).</summary>
    object?[] Values();
}

/// <summary>A company using the platform: a tenant, and a member of the benchmark cohorts.</summary>
/// <param name="Id">The key.</param>
/// <param name="Name">The display name; companies rebrand.</param>
/// <param name="Industry">One of <see cref="TeeiVocabulary.Industries"/>.</param>
/// <param name="Region">One of <see cref="TeeiVocabulary.Regions"/>.</param>
/// <param name="EmployeeSize">One of <see cref="TeeiVocabulary.EmployeeSizes"/>; companies grow into the next band.</param>
/// <param name="CreatedAt">When it joined (UTC).</param>
/// <param name="UpdatedAt">The last change (UTC).</param>
public sealed record TeeiCompanyRow(Guid Id, string Name, string Industry, string Region, string EmployeeSize, DateTime CreatedAt, DateTime UpdatedAt) : ITeeiRow
{
    /// <inheritdoc />
    public Guid Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, Name, Industry, Region, EmployeeSize, CreatedAt, UpdatedAt];
}

/// <summary>A user of a company.</summary>
/// <param name="Id">The key.</param>
/// <param name="CompanyId">The company.</param>
/// <param name="CreatedAt">When the account was made (UTC).</param>
/// <param name="UpdatedAt">The last change (UTC).</param>
public sealed record TeeiUserRow(Guid Id, Guid CompanyId, DateTime CreatedAt, DateTime UpdatedAt) : ITeeiRow
{
    /// <inheritdoc />
    public Guid Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, CompanyId, CreatedAt, UpdatedAt];
}

/// <summary>
/// A user's enrollment in a program. Its steps are recorded with their times and never taken
/// back: enrolled, then matched (with a buddy, mentor or class), then completed; many stop at
/// the first or second step.
/// </summary>
/// <param name="Id">The key.</param>
/// <param name="CompanyId">The user's company.</param>
/// <param name="UserId">The user.</param>
/// <param name="Program">One of <see cref="TeeiVocabulary.Programs"/>.</param>
/// <param name="Status">The last step reached: enrolled, matched or completed.</param>
/// <param name="EnrolledAt">When the user enrolled (UTC).</param>
/// <param name="MatchedAt">When the user was matched, or null.</param>
/// <param name="CompletedAt">When the user completed the program, or null.</param>
/// <param name="UpdatedAt">The last change (UTC): the time of the last step.</param>
public sealed record TeeiEnrollmentRow(Guid Id, Guid CompanyId, Guid UserId, string Program, string Status, DateTime EnrolledAt, DateTime? MatchedAt, DateTime? CompletedAt, DateTime UpdatedAt) : ITeeiRow
{
    /// <inheritdoc />
    public Guid Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, CompanyId, UserId, Program, Status, EnrolledAt, MatchedAt, CompletedAt, UpdatedAt];
}

/// <summary>The Q2Q classifier's score of one outcome dimension of a user's text.</summary>
/// <param name="Id">The key.</param>
/// <param name="CompanyId">The user's company.</param>
/// <param name="UserId">The user who wrote the text (or was written about).</param>
/// <param name="TextId">The text: the five dimensions of one text share it.</param>
/// <param name="TextType">One of <see cref="TeeiVocabulary.TextTypes"/>.</param>
/// <param name="Dimension">One of <see cref="TeeiVocabulary.Dimensions"/>.</param>
/// <param name="Score">The score, 0.000 to 1.000.</param>
/// <param name="Confidence">The model's confidence in it, 0.000 to 1.000.</param>
/// <param name="ModelVersion">The classifier that scored it; a re-score names the newer one.</param>
/// <param name="CreatedAt">When it was scored (UTC).</param>
/// <param name="UpdatedAt">The last change (UTC): the re-score, if any.</param>
public sealed record TeeiScoreRow(Guid Id, Guid CompanyId, Guid UserId, Guid TextId, string TextType, string Dimension, decimal Score, decimal Confidence, string ModelVersion, DateTime CreatedAt, DateTime UpdatedAt) : ITeeiRow
{
    /// <inheritdoc />
    public Guid Key => Id;

    /// <inheritdoc />
    public object?[] Values() => [Id, CompanyId, UserId, TextId, TextType, Dimension, Score, Confidence, ModelVersion, CreatedAt, UpdatedAt];
}

namespace Sluice.Demo.ApplyLens;

/// <summary>A row of the product's <c>emails</c> table: a job-search email, scored for risk.</summary>
/// <param name="Id">The key.</param>
/// <param name="ReceivedAt">When it arrived (UTC).</param>
/// <param name="Sender">The sender's address.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="RiskScore">The phishing-risk score, 0 to 100, or null when not scored.</param>
/// <param name="Category">recruiter, interview, offer, rejection, newsletter or personal.</param>
/// <param name="ExpiresAt">When an invitation or offer lapses, or null.</param>
/// <param name="FeaturesJson">The scorer's facts (computed_at, source, confidence) as JSON, or null when not scored.</param>
/// <param name="UpdatedAt">The last change (UTC): the cursor of an incremental sync.</param>
public sealed record EmailRow(long Id, DateTime ReceivedAt, string Sender, string Subject, double? RiskScore, string Category, DateTime? ExpiresAt, string? FeaturesJson, DateTime UpdatedAt);

/// <summary>A row of the product's <c>applications</c> table: a job application being tracked.</summary>
/// <param name="Id">The key.</param>
/// <param name="Company">The employer.</param>
/// <param name="Role">The job.</param>
/// <param name="Source">Where the job was found.</param>
/// <param name="CreatedAt">When it was recorded (UTC), or null for rows imported without a date.</param>
/// <param name="Status">applied, submitted, phone_screen, interviewing, offer, accepted, rejected, closed or withdrawn.</param>
/// <param name="UpdatedAt">The last change (UTC): the cursor of an incremental sync.</param>
public sealed record ApplicationRow(long Id, string Company, string Role, string Source, DateTime? CreatedAt, string Status, DateTime UpdatedAt);

/// <summary>One day of source rows.</summary>
/// <param name="Day">The day.</param>
/// <param name="Emails">The emails received that day.</param>
/// <param name="Applications">The applications recorded that day.</param>
public sealed record ApplyLensDay(DateOnly Day, IReadOnlyList<EmailRow> Emails, IReadOnlyList<ApplicationRow> Applications);

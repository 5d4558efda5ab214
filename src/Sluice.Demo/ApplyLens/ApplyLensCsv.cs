namespace Sluice.Demo.ApplyLens;

/// <summary>
/// Writes the ApplyLens tables as CSV files, one per table and day (<c>emails_2026-01-31.csv</c>,
/// <c>applications_2026-01-31.csv</c>), for a CSV source with a pattern such as
/// <c>data/emails_*.csv</c>. A file whose text is unchanged is left alone, so a sync skips it;
/// files are replaced whole, never seen half written.
/// </summary>
public static class ApplyLensCsv
{
    /// <summary>The columns of the emails files.</summary>
    public static readonly string[] EmailColumns = ["id", "received_at", "sender", "subject", "risk_score", "category", "expires_at", "features_json", "updated_at"];

    /// <summary>The columns of the applications files.</summary>
    public static readonly string[] ApplicationColumns = ["id", "company", "role", "source", "created_at", "status", "updated_at"];

    /// <summary>
    /// Writes the rows of <paramref name="state"/> into <paramref name="directory"/>, each in the
    /// files of the day it was made on (a day whose rows were all deleted keeps a file with the
    /// header alone); returns how many files were written (unchanged ones are not).
    /// </summary>
    public static async Task<int> WriteAsync(string directory, ApplyLensState state, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var emailsByDay = state.Emails.ToLookup(e => ApplyLensState.CreatedOn(e.Id));
        var applicationsByDay = state.Applications.ToLookup(a => ApplyLensState.CreatedOn(a.Id));
        var written = 0;
        for (var day = state.First; day <= state.Last; day = day.AddDays(1))
        {
            var stamp = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var emails = CsvText.Write(EmailColumns, emailsByDay[day].Select(e => (IReadOnlyList<object?>)[e.Id, e.ReceivedAt, e.Sender, e.Subject, e.RiskScore, e.Category, e.ExpiresAt, e.FeaturesJson, e.UpdatedAt]));
            var applications = CsvText.Write(ApplicationColumns, applicationsByDay[day].Select(a => (IReadOnlyList<object?>)[a.Id, a.Company, a.Role, a.Source, a.CreatedAt, a.Status, a.UpdatedAt]));
            written += await ReplaceAsync(Path.Combine(directory, $"emails_{stamp}.csv"), emails, cancellationToken) ? 1 : 0;
            written += await ReplaceAsync(Path.Combine(directory, $"applications_{stamp}.csv"), applications, cancellationToken) ? 1 : 0;
        }

        return written;
    }

    private static async Task<bool> ReplaceAsync(string path, string text, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == text)
        {
            return false;
        }

        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, text, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return true;
    }
}

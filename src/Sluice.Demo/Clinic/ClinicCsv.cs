using System.Globalization;
using System.Text;

namespace Sluice.Demo.Clinic;

/// <summary>
/// Writes the clinic's exports as the patient app's nightly job does: <c>app_profile.csv</c>
/// (with a UTF-8 byte order mark, as the app's spreadsheet export writes it), one
/// <c>appointment_yyyy-MM.csv</c> per month of booking — the second month's written with its
/// columns in another order, as after an export job's change — and <c>ab_event.csv</c>.
/// Notes that span lines are quoted. A file whose text is unchanged is left alone, so a sync
/// skips it; files are replaced whole, never seen half written.
/// </summary>
public static class ClinicCsv
{
    /// <summary>The columns of the reordered appointment file, in its order.</summary>
    public static IReadOnlyList<string> ReorderedColumns { get; } =
        ["booked_at", "appointment_status", "appointment_id", "patient_id", "doctor_name", "appointment_date", "appointment_reason", "notes"];

    /// <summary>The profiles' file.</summary>
    public const string ProfileFile = "app_profile.csv";

    /// <summary>The events' file.</summary>
    public const string EventFile = "ab_event.csv";

    /// <summary>The glob of the appointment files.</summary>
    public const string AppointmentPattern = "appointment_*.csv";

    /// <summary>Writes every file of <paramref name="data"/> into <paramref name="directory"/>; returns how many were written (unchanged ones are not).</summary>
    public static async Task<int> WriteAsync(string directory, ClinicData data, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var written = 0;
        written += await ReplaceAsync(Path.Combine(directory, ProfileFile), "\uFEFF" + Text(ClinicTables.AppProfile.Select(c => c.Name).ToList(), data.Profiles.Select(p => p.Values())), cancellationToken) ? 1 : 0;

        var reordered = ReorderedFileName(data.Appointments);
        var names = ClinicTables.Appointment.Select(c => c.Name).ToList();
        foreach (var month in data.Appointments.GroupBy(a => MonthFile(a.BookedAt)))
        {
            var rows = month.Select(a => a.Values());
            var text = month.Key == reordered
                ? Text(ReorderedColumns, rows.Select(values => ReorderedColumns.Select(c => values[names.IndexOf(c)]).ToArray()))
                : Text(names, rows);
            written += await ReplaceAsync(Path.Combine(directory, month.Key), text, cancellationToken) ? 1 : 0;
        }

        written += await ReplaceAsync(Path.Combine(directory, EventFile), Text(ClinicTables.AbEvent.Select(c => c.Name).ToList(), data.Events.Select(e => e.Values())), cancellationToken) ? 1 : 0;
        return written;
    }

    /// <summary>The file of the appointments booked in the month of <paramref name="bookedAt"/>.</summary>
    public static string MonthFile(DateTime bookedAt) => $"appointment_{bookedAt.ToString("yyyy-MM", CultureInfo.InvariantCulture)}.csv";

    /// <summary>The appointment file written with its columns reordered: the second month's, or the only one's.</summary>
    public static string ReorderedFileName(IReadOnlyList<ClinicAppointmentRow> appointments)
    {
        var months = appointments.Select(a => MonthFile(a.BookedAt)).Distinct().Order(StringComparer.Ordinal).ToList();
        return months.Count switch
        {
            0 => string.Empty,
            1 => months[0],
            _ => months[1],
        };
    }

    private static string Text(IReadOnlyList<string> header, IEnumerable<object?[]> rows) =>
        CsvText.Write(header, rows.Select(r => (IReadOnlyList<object?>)r));

    private static async Task<bool> ReplaceAsync(string path, string text, CancellationToken cancellationToken)
    {
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        if (File.Exists(path) && (await File.ReadAllBytesAsync(path, cancellationToken)).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }

        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return true;
    }
}

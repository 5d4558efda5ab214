using System.Globalization;

namespace Sluice.Demo.Aivo;

/// <summary>
/// Writes the AIVO tables as CSV files: a dimension in one file of its current rows
/// (<c>tenants.csv</c>), an event table in one file per day of its rows
/// (<c>sessions_2026-09-01.csv</c>, by the day the row was made). A file whose text is unchanged
/// is left alone, so a sync skips it; files are replaced whole, never seen half written.
/// </summary>
public static class AivoCsv
{
    /// <summary>
    /// Writes the files of <paramref name="state"/> into <paramref name="directory"/> — all of
    /// them, or with <paramref name="changes"/> only those a day's changes touched — and returns
    /// how many were written (unchanged ones are not).
    /// </summary>
    public static async Task<int> WriteAsync(string directory, AivoState state, AivoChanges? changes = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var written = 0;
        foreach (var table in AivoTables.All)
        {
            if (table.IsDimension)
            {
                if (changes is null || changes.Written[table].Count > 0 || changes.Deleted[table].Count > 0)
                {
                    written += await ReplaceAsync(Path.Combine(directory, $"{table.Name}.csv"), Text(table, state.Rows(table)), cancellationToken) ? 1 : 0;
                }

                continue;
            }

            var byDay = state.Rows(table).ToLookup(table.DayOf!);
            IEnumerable<DateOnly> days = changes is null
                ? Enumerable.Range(0, state.Last.DayNumber - state.First.DayNumber + 1).Select(i => state.First.AddDays(i))
                : changes.Written[table].Select(table.DayOf!).Append(changes.Day).Distinct().Order();
            foreach (var day in days)
            {
                written += await ReplaceAsync(Path.Combine(directory, FileName(table, day)), Text(table, byDay[day]), cancellationToken) ? 1 : 0;
            }
        }

        return written;
    }

    /// <summary>The file of an event table's rows of <paramref name="day"/>.</summary>
    public static string FileName(AivoTable table, DateOnly day) => $"{table.Name}_{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    /// <summary>The glob of a table's files, relative to the project: <c>data/tenants.csv</c> or <c>data/sessions_*.csv</c>.</summary>
    public static string Pattern(AivoTable table, string folder) => table.IsDimension ? $"{folder}/{table.Name}.csv" : $"{folder}/{table.Name}_*.csv";

    private static string Text(AivoTable table, IEnumerable<IAivoRow> rows) => CsvText.Write(
        [.. table.Columns.Select(c => c.Name)],
        rows.Select(r => (IReadOnlyList<object?>)[.. r.Values().Select(v => v is bool b ? (b ? "true" : "false") : v)]));

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

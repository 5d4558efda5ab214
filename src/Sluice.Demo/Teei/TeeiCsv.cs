using System.Globalization;

namespace Sluice.Demo.Teei;

/// <summary>
/// Writes the TEEI tables as CSV files: a dimension in one file of its current rows
/// (<c>companies.csv</c>), an event table in one file per day of its rows
/// (<c>outcome_scores_2026-09-01.csv</c>, by the day the row was made). A file whose text is
/// unchanged is left alone, so a sync skips it; files are replaced whole, never seen half written.
/// </summary>
public static class TeeiCsv
{
    /// <summary>
    /// Writes the files of <paramref name="state"/> into <paramref name="directory"/> — all of
    /// them, or with <paramref name="changes"/> only those a day's changes touched — and returns
    /// how many were written (unchanged ones are not).
    /// </summary>
    public static async Task<int> WriteAsync(string directory, TeeiState state, TeeiChanges? changes = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var written = 0;
        foreach (var table in TeeiTables.All)
        {
            if (table.IsDimension)
            {
                if (changes is null || changes.Written[table].Count > 0)
                {
                    written += await ReplaceAsync(Path.Combine(directory, $"{table.Name}.csv"), Text(table, state.Rows(table)), cancellationToken) ? 1 : 0;
                }

                continue;
            }

            // Enrollments begin before the first day, so the files span the rows' days as well
            // as the generated ones; a generated day without rows still gets its (empty) file.
            var byDay = state.Rows(table).ToLookup(table.DayOf!);
            var days = changes is null
                ? byDay.Select(g => g.Key).Concat(Enumerable.Range(0, state.Last.DayNumber - state.First.DayNumber + 1).Select(i => state.First.AddDays(i)))
                : changes.Written[table].Select(table.DayOf!).Append(changes.Day);
            foreach (var day in days.Distinct().Order())
            {
                written += await ReplaceAsync(Path.Combine(directory, FileName(table, day)), Text(table, byDay[day]), cancellationToken) ? 1 : 0;
            }
        }

        return written;
    }

    /// <summary>The file of an event table's rows of <paramref name="day"/>.</summary>
    public static string FileName(TeeiTable table, DateOnly day) => $"{table.Name}_{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    /// <summary>The glob of a table's files, relative to the project: <c>data/companies.csv</c> or <c>data/outcome_scores_*.csv</c>.</summary>
    public static string Pattern(TeeiTable table, string folder) => table.IsDimension ? $"{folder}/{table.Name}.csv" : $"{folder}/{table.Name}_*.csv";

    private static string Text(TeeiTable table, IEnumerable<ITeeiRow> rows) => CsvText.Write(
        [.. table.Columns.Select(c => c.Name)],
        rows.Select(r => (IReadOnlyList<object?>)r.Values()));

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

using System.Globalization;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.Sync.Engine;

namespace Sluice.Bench.Chaos;

/// <summary>The job runs seen at one moment: id to status.</summary>
public sealed record HistorySnapshot(IReadOnlyDictionary<string, string> Statuses)
{
    public static HistorySnapshot Empty { get; } = new(new Dictionary<string, string>());
}

/// <summary>
/// What must hold after any chaos once the interrupted command has been run again: the raw
/// tables equal the source row for row on every day, with no key twice; the marts equal the
/// reference's; run history only grows, and every day of the window has a standing SUCCESS run.
/// </summary>
public static class Invariants
{
    private const string Mart = "mrt_risk_daily";

    private static readonly (string Table, string Day, string[] Columns)[] SourceTables =
    [
        ("emails", "received_at", ["id", "received_at", "sender", "subject", "risk_score", "category", "expires_at", "features_json", "updated_at"]),
        ("applications", "created_at", ["id", "company", "role", "source", "created_at", "status", "updated_at"]),
    ];

    /// <summary>Keys synced twice and days whose live rows differ from the source's.</summary>
    public static async Task<List<string>> RawAsync(PipelineWorld world)
    {
        var problems = new List<string>();
        foreach (var (table, day, columns) in SourceTables)
        {
            var source = await SourceRowsAsync(world, table, day, columns);
            var (synced, duplicates) = await world.WithWarehouseAsync(world.ProjectDirectory, session => WarehouseRowsAsync(session, RawTableNames.For("app", table), day, columns));
            if (duplicates > 0)
            {
                problems.Add($"raw {table}: {duplicates} key(s) held twice");
            }

            var days = new SortedDictionary<string, (int Missing, int Extra, int Changed)>(StringComparer.Ordinal);
            foreach (var (id, row) in source)
            {
                if (!synced.TryGetValue(id, out var copy))
                {
                    days[row.Day] = days.GetValueOrDefault(row.Day) with { Missing = days.GetValueOrDefault(row.Day).Missing + 1 };
                }
                else if (copy.Text != row.Text)
                {
                    days[row.Day] = days.GetValueOrDefault(row.Day) with { Changed = days.GetValueOrDefault(row.Day).Changed + 1 };
                }
            }

            foreach (var (id, row) in synced.Where(r => !source.ContainsKey(r.Key)))
            {
                days[row.Day] = days.GetValueOrDefault(row.Day) with { Extra = days.GetValueOrDefault(row.Day).Extra + 1 };
            }

            problems.AddRange(days.Take(3).Select(d => $"raw {table} on {d.Key}: {d.Value.Missing} missing, {d.Value.Extra} extra, {d.Value.Changed} changed against the source"));
        }

        return problems;
    }

    /// <summary>Days of the window whose mart row differs from the reference's.</summary>
    public static async Task<List<string>> MartsAsync(PipelineWorld world)
    {
        var (from, to) = world.Window;
        var built = await world.WithWarehouseAsync(world.ProjectDirectory, session => MartRowsAsync(session, world, world.ProjectDirectory, from, to));
        var reference = await world.WithWarehouseAsync(world.ReferenceDirectory, session => MartRowsAsync(session, world, world.ReferenceDirectory, from, to));
        var problems = new List<string>();
        foreach (var day in reference.Keys.Union(built.Keys).Order(StringComparer.Ordinal))
        {
            if (!built.TryGetValue(day, out var row))
            {
                problems.Add($"{Mart} has no row for {day}");
            }
            else if (!reference.TryGetValue(day, out var expected))
            {
                problems.Add($"{Mart} has a row for {day}, which the reference has not");
            }
            else if (Difference(expected, row) is { } difference)
            {
                problems.Add($"{Mart} on {day}: {difference}");
            }
        }

        return problems;
    }

    /// <summary>
    /// Runs that vanished or changed status, runs left RUNNING, and, once the window has been built
    /// (<paramref name="built"/>), days of it without a standing SUCCESS run.
    /// </summary>
    public static async Task<(List<string> Problems, HistorySnapshot Now)> HistoryAsync(PipelineWorld world, HistorySnapshot before, bool built)
    {
        var (from, to) = world.Window;
        var (statuses, succeeded) = await world.WithWarehouseAsync(world.ProjectDirectory, async session =>
        {
            var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
            var succeeded = new HashSet<DateOnly>();
            await using var reader = await session.QueryAsync("select id, job_name, target_date, status, superseded_by from _sluice.job_runs");
            while (await reader.ReadAsync())
            {
                var status = reader.GetString(3);
                statuses[reader.GetString(0)] = status;
                if (reader.GetString(1) == Mart && status == "SUCCESS" && reader.IsDBNull(4) && !reader.IsDBNull(2))
                {
                    succeeded.Add(reader.GetFieldValue<DateOnly>(2));
                }
            }

            return (statuses, succeeded);
        });

        var problems = new List<string>();
        foreach (var (id, status) in before.Statuses)
        {
            if (!statuses.TryGetValue(id, out var now))
            {
                problems.Add($"run {id} ({status}) is gone from _sluice.job_runs");
            }
            else if (now != status && status != "RUNNING")
            {
                problems.Add($"run {id} went from {status} to {now}: history was rewritten");
            }
        }

        var running = statuses.Count(s => s.Value == "RUNNING");
        if (running > 0)
        {
            problems.Add($"{running} run(s) still RUNNING after the command finished");
        }

        var missing = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(i => from.AddDays(i)).Where(d => !succeeded.Contains(d)).ToList();
        if (built && missing.Count > 0)
        {
            problems.Add($"{missing.Count} day(s) of {Mart} without a standing SUCCESS run, such as {PipelineWorld.Day(missing[0])}");
        }

        return (problems, new HistorySnapshot(statuses));
    }

    private static async Task<Dictionary<long, (string Day, string Text)>> SourceRowsAsync(PipelineWorld world, string table, string day, string[] columns)
    {
        var rows = new Dictionary<long, (string, string)>();
        await using var command = world.Source.CreateCommand($"select {string.Join(", ", columns)} from {table}");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture)] = (DayOf(reader.GetValue(Array.IndexOf(columns, day))), RowText(reader, columns.Length));
        }

        return rows;
    }

    private static async Task<(Dictionary<long, (string Day, string Text)> Rows, int Duplicates)> WarehouseRowsAsync(IWarehouseSession session, TableName table, string day, string[] columns)
    {
        var rows = new Dictionary<long, (string, string)>();
        var duplicates = 0;
        var dialect = session.Warehouse.Dialect;
        // Rows deleted in the source stay in the raw table, marked.
        await using var reader = await session.QueryAsync($"select {string.Join(", ", columns.Select(dialect.Quote))} from {dialect.Quote(table)} where {dialect.Quote(RawTables.DeletedAt)} is null");
        while (await reader.ReadAsync())
        {
            var id = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            duplicates += rows.TryAdd(id, (DayOf(reader.GetValue(Array.IndexOf(columns, day))), RowText(reader, columns.Length))) ? 0 : 1;
        }

        return (rows, duplicates);
    }

    private static async Task<Dictionary<string, object?[]>> MartRowsAsync(IWarehouseSession session, PipelineWorld world, string directory, DateOnly from, DateOnly to)
    {
        var project = ProjectParser.Parse(ProjectLoader.Load(directory, name => world.Cli.Environment.GetValueOrDefault(name)));
        var table = RelationReference.ForModel(Mart).TableIn(project) ?? throw new InvalidOperationException($"{Mart} has no table.");
        var rows = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        await using var reader = await session.QueryAsync($"select * from {session.Warehouse.Dialect.Quote(table)} where d between $1 and $2", [from, to]);
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows[DayOf(reader.GetValue(reader.GetOrdinal("d")))] = row;
        }

        return rows;
    }

    // Numbers computed by the engine may differ in the last bits between two builds of the same rows.
    private static string? Difference(object?[] expected, object?[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            var same = e is double or float or decimal && a is double or float or decimal
                ? Math.Abs(Convert.ToDouble(e, CultureInfo.InvariantCulture) - Convert.ToDouble(a, CultureInfo.InvariantCulture)) <= 1e-9 * Math.Max(1, Math.Abs(Convert.ToDouble(e, CultureInfo.InvariantCulture)))
                : Text(e) == Text(a);
            if (!same)
            {
                return $"column {i + 1} is {Text(a)}, the reference {Text(e)}";
            }
        }

        return null;
    }

    private static string RowText(System.Data.Common.DbDataReader reader, int columns) =>
        string.Join('|', Enumerable.Range(0, columns).Select(i => Text(reader.IsDBNull(i) ? null : reader.GetValue(i))));

    private static string DayOf(object? value) => value switch
    {
        null or DBNull => "no day",
        DateOnly day => PipelineWorld.Day(day),
        DateTime time => PipelineWorld.Day(DateOnly.FromDateTime(time)),
        DateTimeOffset time => PipelineWorld.Day(DateOnly.FromDateTime(time.UtcDateTime)),
        _ => Text(value),
    };

    private static string Text(object? value) => value switch
    {
        null or DBNull => "∅",
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateOnly day => PipelineWorld.Day(day),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        float number => ((double)number).ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

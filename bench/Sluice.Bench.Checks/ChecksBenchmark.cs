using System.Diagnostics;
using System.Globalization;
using Sluice.Checks;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Warehouses;

namespace Sluice.Bench;

/// <summary>What the checks benchmark measured on one size of table.</summary>
internal sealed record ChecksResult(
    int Checks,
    long Rows,
    TimeSpan Goal,
    TimeSpan Create,
    TimeSpan Cold,
    Samples Sluice,
    Samples Script,
    IReadOnlyDictionary<CheckStatus, int> Statuses,
    IReadOnlyList<(string Name, TimeSpan Time)> Slowest,
    bool Verified,
    string? Mismatch)
{
    public double Ratio => Script.Median / Sluice.Median;
}

/// <summary>
/// Fifty checks over <c>raw.events</c> on DuckDB, run by <see cref="CheckRunner"/> as
/// <c>sluice test</c> runs them (compile, scan, samples of failures, results written), against
/// a limit measured in the same process: the least the engine must do for the same checks — one
/// scan reading every value, plus one search for repeated ids.
/// </summary>
internal static class ChecksBenchmark
{
    public static async Task<ChecksResult> RunAsync(string directory, long rows, TimeSpan goal, CheckBenchOptions options)
    {
        Directory.CreateDirectory(Path.Combine(directory, "models"));
        await File.WriteAllTextAsync(Path.Combine(directory, "sluice.yml"), "name: bench\nwarehouse:\n  type: duckdb\n  path: bench.duckdb\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "schema.yml"), CheckSuite.SchemaYml());
        var project = ProjectParser.Parse(ProjectLoader.Load(directory, _ => null));
        await using var warehouse = WarehouseFactory.Create(project.Project.Warehouse, directory);

        var clock = Stopwatch.StartNew();
        await using (var session = await warehouse.OpenSessionAsync())
        {
            await session.ExecuteAsync(CheckSuite.CreateTables(rows));
            await session.ExecuteAsync("checkpoint");
        }

        var create = clock.Elapsed;
        Console.WriteLine($"  created raw.events ({Format.Count(rows)} rows) in {Format.Seconds(create)}; {project.Checks.Count} checks");

        var runner = new CheckRunner(project, warehouse);
        var run = new CheckRunOptions { Now = () => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        clock.Restart();
        var results = await runner.RunAsync(project.Checks, run, new Quiet(), CancellationToken.None);
        var cold = clock.Elapsed;
        Console.WriteLine($"  first run (cold): {Format.Seconds(cold)}");

        var sluice = new Samples();
        var script = new Samples();
        for (var i = 0; i < options.Runs; i++)
        {
            clock.Restart();
            results = await runner.RunAsync(project.Checks, run, new Quiet(), CancellationToken.None);
            sluice.Add(clock.Elapsed);
            script.Add(await ScriptAsync(warehouse, rows));
            Console.WriteLine($"  run {i + 1}: checks {Format.Seconds(sluice.Runs[^1])}, limit {Format.Seconds(script.Runs[^1])}");
        }

        var mismatch = await VerifyAsync(warehouse, results);
        return new ChecksResult(
            project.Checks.Count,
            rows,
            goal,
            create,
            cold,
            sluice,
            script,
            Enum.GetValues<CheckStatus>().ToDictionary(s => s, s => results.Count(r => r.Status == s)),
            [.. results.OrderByDescending(r => r.Duration).Take(5).Select(r => (r.Check.Name, r.Duration))],
            mismatch is null,
            mismatch);
    }

    // The engine's least work for the same checks: every value of every column read once (hashed,
    // which statistics cannot answer), and one search for repeated ids, with the engine's best
    // setting for it — a repeated (id, day) needs a repeated id, so that search covers both.
    private static async Task<TimeSpan> ScriptAsync(IWarehouse warehouse, long rows)
    {
        var clock = Stopwatch.StartNew();
        await using var session = await warehouse.OpenSessionAsync();
        await session.ScalarAsync(
            "select sum(hash(id, day, customer_id, product_id, amount, quantity, discount, score, status, segment, channel, currency, code, email, updated_at)) from raw.events");
        if (warehouse.Dialect.KeyCountSettings(rows) is { } settings)
        {
            await session.ExecuteAsync(settings.Set);
        }

        await session.ScalarAsync("select count(*) from (select id from raw.events group by id having count(*) > 1) as d");
        return clock.Elapsed;
    }

    // The failing counts of the checks with defects, against SQL on the table.
    private static async Task<string?> VerifyAsync(IWarehouse warehouse, IReadOnlyList<CheckResult> results)
    {
        await using var session = await warehouse.OpenSessionAsync();
        var expected = new Dictionary<string, string>
        {
            ["status_strict"] = "select count(*) from raw.events where status not in ('placed', 'shipped', 'returned', 'cancelled')",
            ["source_accepted_range_raw_events_amount"] = "select count(*) from raw.events where amount < 0 or amount > 100",
            ["source_regex_raw_events_email"] = "select count(*) from raw.events where email not like '%@%'",
            ["source_unique_raw_events_id"] = "select count(*) - count(distinct id) from raw.events",
        };
        foreach (var (name, sql) in expected)
        {
            var result = results.SingleOrDefault(r => r.Check.Name == name);
            var count = Convert.ToInt64(await session.ScalarAsync(sql), CultureInfo.InvariantCulture);
            if (result is null || result.FailingRows != count)
            {
                return $"{name}: {result?.FailingRows.ToString() ?? "missing"} failing rows, SQL says {count}";
            }
        }

        var errors = results.Where(r => r.Status == CheckStatus.Error).Select(r => $"{r.Check.Name}: {r.Message}").ToList();
        return errors.Count > 0 ? string.Join("; ", errors) : null;
    }

    private sealed class Quiet : ICheckObserver
    {
        public void Finished(CheckResult result)
        {
        }
    }
}

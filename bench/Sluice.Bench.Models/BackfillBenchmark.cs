using System.Diagnostics;
using System.Globalization;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Models.Compile;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Warehouses;

namespace Sluice.Bench;

/// <summary>What the backfill measured.</summary>
internal sealed record BackfillResult(
    long FactRows,
    int Days,
    TimeSpan CreateFact,
    TimeSpan First,
    Samples Wall,
    Samples Engine,
    Samples Overhead,
    Samples Script,
    TimeSpan OneStatement,
    TimeSpan TwoAtOnce,
    bool Verified,
    IReadOnlyList<(string Shape, TimeSpan Time, int Calls)> Heaviest)
{
    public TimeSpan PerPartition => Wall.Median / Days;

    public TimeSpan OverheadPerPartition => Overhead.Median / Days;

    /// <summary>The script's time over Sluice's: 1.00 means the partition bookkeeping costs nothing.</summary>
    public double Ratio => Script.Median / Wall.Median;
}

/// <summary>
/// Backfills a daily mart over <c>raw.events</c>: the first backfill, then forced ones, alternating
/// with their limit: the same compiled SQL as a plain script (per day one transaction: delete the
/// day, insert it). For scale, the whole range in one <c>create table … as select</c>.
/// </summary>
internal static class BackfillBenchmark
{
    private const int HeaviestShown = 6;

    private static readonly DateOnly First = new(2024, 1, 1);

    public static async Task<BackfillResult> RunAsync(string directory, ModelBenchOptions options)
    {
        GeneratedProject.WriteBackfill(directory);
        var project = ProjectParser.Parse(ProjectLoader.Load(directory));
        var model = project.Nodes.Values.Single();
        var last = First.AddDays(options.Days - 1);
        await using var warehouse = new TimedWarehouse(WarehouseFactory.Create(project.Project.Warehouse, project.Project.Directory));

        var clock = Stopwatch.StartNew();
        await using (var session = await warehouse.OpenSessionAsync())
        {
            await session.CreateSchemaAsync("raw");
            await session.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"""
                create table raw.events as
                select i as id,
                       date '{First:yyyy-MM-dd}' + cast(floor(i * {options.Days}.0 / {options.FactRows}) as integer) as d,
                       (i * 7919) % 100000 as customer_id,
                       cast((i % 1000) / 10.0 as decimal(12, 2)) as amount
                from range(0, {options.FactRows}) as t(i)
                """));
        }

        var createFact = clock.Elapsed;
        Console.WriteLine($"  raw.events: {Format.Count(options.FactRows)} rows over {options.Days} days in {Format.Seconds(createFact)}");

        var firstRun = await BackfillAsync(project, warehouse, model.Name, last, force: false, concurrency: 1);
        Console.WriteLine($"  first backfill: {Format.Seconds(firstRun)}");
        var verified = await VerifyAsync(warehouse, model, last);

        var script = Script(project, model, warehouse, last);
        var wall = new Samples();
        var engine = new Samples();
        var overhead = new Samples();
        var scripted = new Samples();
        List<(string Shape, TimeSpan Time, int Calls)> heaviest = [];
        for (var run = 0; run < options.Runs; run++)
        {
            warehouse.Reset();
            var elapsed = await BackfillAsync(project, warehouse, model.Name, last, force: true, concurrency: 1);
            var engineTime = warehouse.EngineTime;
            heaviest = [.. warehouse.Heaviest(HeaviestShown)];
            wall.Add(elapsed);
            engine.Add(engineTime);
            overhead.Add(elapsed - engineTime);
            verified &= await VerifyAsync(warehouse, model, last);
            scripted.Add(await RunScriptAsync(warehouse, script));
            Console.WriteLine($"  run {run + 1}: sluice {Format.Seconds(elapsed)} (engine {Format.Seconds(engineTime)}), script {Format.Seconds(scripted.Runs[^1])}");
        }

        var twoAtOnce = await BackfillAsync(project, warehouse, model.Name, last, force: true, concurrency: 2);
        verified &= await VerifyAsync(warehouse, model, last);
        Console.WriteLine($"  --concurrency 2: {Format.Seconds(twoAtOnce)}");

        var compiled = new ModelCompiler(project).Compile(model, new RenderFacts(true, First, last.AddDays(1), DateTimeOffset.UtcNow, "whole")).Sql;
        clock.Restart();
        await using (var session = await warehouse.OpenSessionAsync())
        {
            await session.ExecuteAsync($"create or replace table main.whole_range as\n{compiled}");
        }

        var oneStatement = clock.Elapsed;
        Console.WriteLine($"  the whole range in one statement: {Format.Seconds(oneStatement)}; totals {(verified ? "match" : "DO NOT match")} the fact table");
        return new BackfillResult(options.FactRows, options.Days, createFact, firstRun, wall, engine, overhead, scripted, oneStatement, twoAtOnce, verified, heaviest);
    }

    private static async Task<TimeSpan> BackfillAsync(ParsedProject project, TimedWarehouse warehouse, string model, DateOnly last, bool force, int concurrency)
    {
        var runner = new ModelRunner(project, warehouse);
        var clock = Stopwatch.StartNew();
        var results = await runner.RunAsync(
            new HashSet<string> { model },
            new RunOptions { From = First, To = last, Threads = 1, PartitionConcurrency = concurrency, Force = force },
            new SilentObserver(),
            CancellationToken.None);
        var elapsed = clock.Elapsed;
        var result = results.Single();
        return result.Status == JobStatus.Success
            ? elapsed
            : throw new InvalidOperationException($"the backfill failed: {result.Error}");
    }

    // The mart's events and amounts add up to the fact table's rows in the range, computed here.
    private static async Task<bool> VerifyAsync(IWarehouse warehouse, ModelDefinition model, DateOnly last)
    {
        await using var session = await warehouse.OpenSessionAsync();
        var range = $"d between date '{First:yyyy-MM-dd}' and date '{last:yyyy-MM-dd}'";
        var mart = await session.ScalarAsync($"select cast(sum(events) as varchar) || '/' || cast(sum(amount) as varchar) || '/' || cast(count(distinct d) as varchar) from {warehouse.Dialect.Quote(model.Table)}");
        var fact = await session.ScalarAsync($"select cast(count(*) as varchar) || '/' || cast(sum(amount) as varchar) || '/' || cast(count(distinct d) as varchar) from raw.events where {range}");
        return Equals(mart, fact);
    }

    private static List<(DateOnly Start, DateOnly End, string Sql)> Script(ParsedProject project, ModelDefinition model, IWarehouse warehouse, DateOnly last)
    {
        var compiler = new ModelCompiler(project);
        return [.. Partitions.Covering(First, last, PartitionGrain.Day).Select(p =>
            (p.Start, p.End, $"insert into {warehouse.Dialect.Quote(model.Table)}\n{compiler.Compile(model, new RenderFacts(true, p.Start, p.End, DateTimeOffset.UtcNow, "script")).Sql}"))];
    }

    private static async Task<TimeSpan> RunScriptAsync(IWarehouse warehouse, IReadOnlyList<(DateOnly Start, DateOnly End, string Sql)> script)
    {
        await using var session = await warehouse.OpenSessionAsync();
        var clock = Stopwatch.StartNew();
        foreach (var (start, end, sql) in script)
        {
            await using var transaction = await session.BeginTransactionAsync();
            await session.ExecuteAsync("delete from main.fct_daily_segments where d >= $1 and d < $2", [start, end]);
            await session.ExecuteAsync(sql);
            await transaction.CommitAsync();
        }

        return clock.Elapsed;
    }
}

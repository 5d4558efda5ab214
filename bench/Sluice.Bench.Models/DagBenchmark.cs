using System.Diagnostics;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Models.Compile;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Warehouses;

namespace Sluice.Bench;

/// <summary>What the generated project's parse, plan and runs measured.</summary>
internal sealed record DagResult(
    int Models,
    int Tables,
    int Edges,
    TimeSpan ParseCold,
    Samples ParsePlan,
    Samples Wall,
    Samples Engine,
    Samples Overhead,
    Samples Script,
    long EngineCallsPerRun,
    TimeSpan FourThreads,
    IReadOnlyList<(string Shape, TimeSpan Time, int Calls)> Heaviest)
{
    public TimeSpan OverheadPerModel => Overhead.Median / Models;

    /// <summary>The script's time over Sluice's: 1.00 means the orchestration costs nothing.</summary>
    public double Ratio => Script.Median / Wall.Median;
}

/// <summary>
/// Parses and plans the generated project, then builds it with one thread, timing the engine's
/// calls, alternating with its limit: the same compiled SQL run as a plain script
/// (<c>create or replace view|table … as …</c>, one statement per model, in graph order).
/// </summary>
internal static class DagBenchmark
{
    private const int ParseRuns = 7;
    private const int HeaviestShown = 6;

    public static async Task<DagResult> RunAsync(string directory, ModelBenchOptions options)
    {
        GeneratedProject.WriteDag(directory, options.Models);

        var clock = Stopwatch.StartNew();
        var (project, plan) = ParseAndPlan(directory);
        var cold = clock.Elapsed;
        var parsePlan = new Samples();
        for (var i = 0; i < ParseRuns; i++)
        {
            clock.Restart();
            (project, plan) = ParseAndPlan(directory);
            parsePlan.Add(clock.Elapsed);
        }

        var edges = plan.Sum(n => project.Graph.ParentsOf(n).Count);
        var tables = plan.Count(n => project.Nodes[n].Config.Materialized == Materialization.Table);
        Console.WriteLine($"  parse + plan of {Format.Count(plan.Count)} models ({Format.Count(edges)} edges): first {Format.Seconds(cold)}, median of {ParseRuns} {Format.Seconds(parsePlan.Median)}");

        await using var warehouse = new TimedWarehouse(WarehouseFactory.Create(project.Project.Warehouse, project.Project.Directory));
        var selected = plan.ToHashSet(StringComparer.Ordinal);
        var script = Script(project, warehouse);

        // The warm-up creates every relation, so that measured runs replace them as a nightly run does.
        await BuildAsync(project, warehouse, selected, threads: 1);
        var wall = new Samples();
        var engine = new Samples();
        var overhead = new Samples();
        var scripted = new Samples();
        long calls = 0;
        List<(string Shape, TimeSpan Time, int Calls)> heaviest = [];
        for (var run = 0; run < options.Runs; run++)
        {
            warehouse.Reset();
            var elapsed = await BuildAsync(project, warehouse, selected, threads: 1);
            var engineTime = warehouse.EngineTime;
            heaviest = [.. warehouse.Heaviest(HeaviestShown)];
            calls = warehouse.Calls;
            wall.Add(elapsed);
            engine.Add(engineTime);
            overhead.Add(elapsed - engineTime);
            scripted.Add(await RunScriptAsync(warehouse, script));
            Console.WriteLine($"  run {run + 1}: sluice {Format.Seconds(elapsed)} (engine {Format.Seconds(engineTime)} in {Format.Count(calls)} calls), script {Format.Seconds(scripted.Runs[^1])}");
        }

        var fourThreads = await BuildAsync(project, warehouse, selected, threads: 4);
        Console.WriteLine($"  4 threads: {Format.Seconds(fourThreads)}");
        return new DagResult(plan.Count, tables, edges, cold, parsePlan, wall, engine, overhead, scripted, calls, fourThreads, heaviest);
    }

    private static (ParsedProject Project, IReadOnlyList<string> Plan) ParseAndPlan(string directory)
    {
        var project = ProjectParser.Parse(ProjectLoader.Load(directory));
        var selected = NodeSelector.Select(project.Graph, [], []);
        return (project, [.. project.Graph.Order.Where(selected.Contains)]);
    }

    private static async Task<TimeSpan> BuildAsync(ParsedProject project, TimedWarehouse warehouse, IReadOnlySet<string> selected, int threads)
    {
        var runner = new ModelRunner(project, warehouse);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var clock = Stopwatch.StartNew();
        var results = await runner.RunAsync(selected, new RunOptions { From = today, To = today, Threads = threads }, new SilentObserver(), CancellationToken.None);
        var elapsed = clock.Elapsed;
        var failure = results.FirstOrDefault(r => r.Status != JobStatus.Success);
        return failure is null
            ? elapsed
            : throw new InvalidOperationException($"the generated project failed to build: {failure.Error}");
    }

    private static List<string> Script(ParsedProject project, TimedWarehouse warehouse)
    {
        var compiler = new ModelCompiler(project);
        var facts = RenderFacts.Default(DateTimeOffset.UtcNow, "script");
        return [.. project.Graph.Order.Select(n => project.Nodes[n]).Select(model =>
            $"create or replace {(model.Config.Materialized == Materialization.Table ? "table" : "view")} {warehouse.Dialect.Quote(model.Table)} as\n{compiler.Compile(model, facts).Sql}")];
    }

    private static async Task<TimeSpan> RunScriptAsync(TimedWarehouse warehouse, IReadOnlyList<string> statements)
    {
        await using var session = await warehouse.OpenSessionAsync();
        var clock = Stopwatch.StartNew();
        foreach (var statement in statements)
        {
            await session.ExecuteAsync(statement);
        }

        return clock.Elapsed;
    }
}

/// <summary>Progress goes nowhere: the benchmark prints its own.</summary>
internal sealed class SilentObserver : IRunObserver
{
    public void Started(ModelDefinition model, int index, int total)
    {
    }

    public void PartitionFinished(ModelDefinition model, DatePartition partition, JobStatus status, int done, int total)
    {
    }

    public void Finished(NodeResult result, int index, int total)
    {
    }
}

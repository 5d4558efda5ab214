using System.Diagnostics;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Warehouses;

namespace Sluice.Bench;

/// <summary>
/// For each size, loads the same facts and events into every engine with Sluice's bulk load,
/// serves them with <c>sluice serve</c> (cache off), times each question over sequential
/// requests on one connection, measures the engine's own time for the same SQL, and compares
/// the engines' answers with each other.
/// </summary>
internal static class ScaleBenchmark
{
    // Bytes of disk per fact row for all three engines together, with the events and PostgreSQL's
    // WAL: a generous estimate, not a measurement, so that a size that will not fit is skipped
    // before loading rather than failing half-way.
    private const long BytesPerRow = 300;

    public static async Task<ScaleResult> RunAsync(string work, ScaleOptions options)
    {
        var cells = new List<ScaleCell>();
        var loads = new List<ScaleLoad>();
        var skipped = new List<string>();
        var mismatches = new List<string>();
        await using var duckDb = options.Engines.Contains("duckdb") ? new DuckDbEngine() : null;
        await using var postgres = options.Engines.Contains("postgres") ? await PostgresEngine.StartAsync() : null;
        await using var clickHouse = options.Engines.Contains("clickhouse") ? await ClickHouseEngine.StartAsync() : null;
        ScaleEngine[] engines = [.. new ScaleEngine?[] { duckDb, postgres, clickHouse }.OfType<ScaleEngine>()];
        foreach (var rows in options.Sizes)
        {
            var free = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(work))!).AvailableFreeSpace;
            if (rows * BytesPerRow > free)
            {
                var reason = $"{ScaleOptions.Label(rows)} skipped: it needs about {Format.Bytes(rows * BytesPerRow)} of disk and {Format.Bytes(free)} is free";
                Console.WriteLine($"  {reason}");
                skipped.Add(reason);
                continue;
            }

            Console.WriteLine();
            Console.WriteLine($"{ScaleOptions.Label(rows)}: {Format.Count(rows)} facts, about {Format.Count(ScaleData.Entities(rows) * 2)} events");
            var answers = new Dictionary<string, List<(string Engine, string Json)>>(StringComparer.Ordinal);
            foreach (var engine in engines)
            {
                var run = new ScaleRun(Path.Combine(work, $"{engine.Name.ToLowerInvariant()}-{rows}"), rows, options);
                await ScaleProject.WriteAsync(run.Directory, await engine.WarehouseAsync(rows));
                loads.Add(await LoadAsync(engine, run));
                var served = await ServeAsync(engine, run, answers, mismatches);
                var limits = await engine.LimitsAsync(run);
                foreach (var question in ScaleProject.Questions.Where(q => served.ContainsKey(q.Name) && limits.ContainsKey(q.Name)))
                {
                    var cell = new ScaleCell(engine.Name, rows, question.Name, served[question.Name], limits[question.Name]);
                    cells.Add(cell);
                    Console.WriteLine($"  {engine.Name,-10} {question.Name,-8} p50 {Ms(cell.P50),10}  p95 {Ms(cell.P95),10}  engine alone {Ms(cell.LimitP50),10}  ratio {Format.Ratio(cell.Ratio)}");
                }

                // The next size loads afresh; a DuckDB file of this one would only hold disk.
                if (engine == duckDb)
                {
                    Directory.Delete(run.Directory, recursive: true);
                }
            }

            mismatches.AddRange(Compare(rows, answers));
        }

        return new ScaleResult(cells, loads, [.. engines.Select(e => (e.Name, e.LimitMethod))], skipped, mismatches);
    }

    private static async Task<ScaleLoad> LoadAsync(ScaleEngine engine, ScaleRun run)
    {
        var parsed = ProjectParser.Parse(ProjectLoader.Load(run.Directory, _ => null));
        await using var warehouse = WarehouseFactory.Create(parsed.Project.Warehouse, run.Directory);
        await using var session = await warehouse.OpenSessionAsync();
        var (events, took) = await ScaleData.LoadAsync(session, run.Rows);
        await engine.AfterLoadAsync(session);
        Console.WriteLine($"  {engine.Name,-10} loaded {Format.Count(run.Rows)} facts and {Format.Count(events)} events in {Format.Seconds(took)}");
        return new ScaleLoad(engine.Name, run.Rows, events, took);
    }

    // Sequential requests on one connection: the latency of one user's question, not throughput.
    private static async Task<Dictionary<string, IReadOnlyList<TimeSpan>>> ServeAsync(ScaleEngine engine, ScaleRun run, Dictionary<string, List<(string Engine, string Json)>> answers, List<string> mismatches)
    {
        var served = new Dictionary<string, IReadOnlyList<TimeSpan>>(StringComparer.Ordinal);
        await using var server = await ServeProcess.StartAsync(run.Options.Sluice!, run.Directory);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
        foreach (var question in ScaleProject.Questions)
        {
            try
            {
                served[question.Name] = await TimeQuestionAsync(engine, question, run, http, answers);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
            {
                // No answer is a failure like a wrong one; the other questions are still measured.
                var failure = $"{engine.Name} at {ScaleOptions.Label(run.Rows)}: {question.Name} got no answer: {e.Message}";
                Console.WriteLine($"  FAILED {failure}");
                mismatches.Add(failure);
            }
        }

        // A warning from the server is as much a finding as an answer that differs.
        mismatches.AddRange(server.Warnings.Select(w => $"{engine.Name} at {ScaleOptions.Label(run.Rows)}: the server warned: {w}"));
        return served;
    }

    private static async Task<List<TimeSpan>> TimeQuestionAsync(ScaleEngine engine, Question question, ScaleRun run, HttpClient http, Dictionary<string, List<(string Engine, string Json)>> answers)
    {
        var answer = await AnswerAsync(http, engine, question);
        if (!answers.TryGetValue(question.Name, out var list))
        {
            answers[question.Name] = list = [];
        }

        list.Add((engine.Name, answer));
        for (var i = 0; i < run.Options.Warmups; i++)
        {
            await AnswerAsync(http, engine, question);
        }

        var runs = new List<TimeSpan>();
        for (var i = 0; i < run.Options.Requests; i++)
        {
            engine.BeforeRequest();
            var clock = Stopwatch.StartNew();
            using (var response = await http.GetAsync(question.Path))
            {
                var body = await response.Content.ReadAsStringAsync();
                runs.Add(clock.Elapsed);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"answered {(int)response.StatusCode}: {body}");
                }
            }

            await engine.AfterRequestAsync(question);
        }

        return runs;
    }

    private static async Task<string> AnswerAsync(HttpClient http, ScaleEngine engine, Question question)
    {
        using var response = await http.GetAsync(question.Path);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? body
            : throw new InvalidOperationException($"answered {(int)response.StatusCode}: {body}");
    }

    // Every engine's answer against the first engine's: the same question must get the same figures.
    private static IEnumerable<string> Compare(long rows, Dictionary<string, List<(string Engine, string Json)>> answers)
    {
        foreach (var (question, list) in answers)
        {
            var (first, expected) = list[0];
            foreach (var (engine, json) in list.Skip(1))
            {
                if (AnswerComparison.FirstDifference(expected, json) is { } difference)
                {
                    var mismatch = $"{question} at {ScaleOptions.Label(rows)}: {engine} differs from {first} at {difference}";
                    Console.WriteLine($"  MISMATCH {mismatch}");
                    yield return mismatch;
                }
            }
        }
    }

    public static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " ms";
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sluice.Cli.Tests;

/// <summary>
/// A DuckDB project for `sluice serve` whose models let a test hold a job where it wants it:
/// <c>events</c>, a small table the metric <c>score</c> reads; <c>endless</c>, a query that ends only
/// when interrupted, after its pre_hook has written the file named by var <c>marker</c>;
/// <c>gated</c>, which reads the named pipe given as var <c>gate</c> and so runs until the test
/// closes it; and <c>loud</c>, which fails with an error as long as var <c>len</c>.
/// </summary>
public sealed class ServedJobProject : IDisposable
{
    /// <summary>Makes <c>endless</c> compare 9 trillion pairs: hours of work, ended only by an interrupt.</summary>
    public const string Big = "3000000";

    private readonly TempDirectory _temp = new();

    public ServedJobProject()
    {
        Write("sluice.yml", "name: jobs\nwarehouse:\n  type: duckdb\n  path: warehouse.duckdb\n");
        Write("metrics.yml", "metrics:\n  - name: score\n    model: events\n    time: at\n    measure: {agg: avg, expr: score}\n");
        Write("models/events.sql",
            "{{ config(materialized='table') }}\n"
            + "select id, {{ var('k', 1) }} as k, timestamp '2026-01-01' + to_days(id::integer) as at, 1.0 * id as score from range({{ var('n', 3) }}) t(id)\n");
        Write("models/endless.sql",
            "{{ config(materialized='table', pre_hook=\"{% if var('marker', '') %}copy (select 1 as started) to '{{ var('marker') }}'{% endif %}\") }}\n"
            + "select {{ var('k', 1) }} as k, (select count(*) from range({{ var('big', 1) }}) a, range({{ var('big', 1) }}) b where a.range + b.range < 0) as never\n");
        Write("models/gated.sql",
            "{{ config(materialized='table') }}\n"
            + "select count(*) as lines from read_csv('{{ var('gate', 'no-gate') }}', header = false, auto_detect = false, columns = {'line': 'varchar'})\n");
        Write("models/loud.sql", "{{ config(materialized='table') }}\nselect error(repeat('x', {{ var('len', 10) }})) as boom\n");
    }

    public string Directory => _temp.Path;

    /// <summary>The announcement `sluice serve` writes next to the DuckDB file.</summary>
    public string Announcement => _temp.Combine("warehouse.duckdb.serving");

    public string Combine(params string[] parts) => _temp.Combine(parts);

    public Task<ServedProcess> ServeAsync() => ServedProcess.StartAsync(Directory, ["serve"], Announcement);

    public Task<SluiceResult> RunAsync(params string[] arguments) => SluiceProcess.RunAsync(Directory, arguments);

    public async Task<SluiceResult> RunOkAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Runs SQL with `sluice query` (the server must be stopped); its CSV.</summary>
    public async Task<string> QueryAsync(string sql) => (await RunOkAsync("query", sql, "--format", "csv")).Stdout;

    public void Dispose() => _temp.Dispose();

    /// <summary>Posts a job; the job as the server answered (202 queued, or 200 finished when <paramref name="wait"/>).</summary>
    public static async Task<JsonElement> PostJobAsync(HttpClient client, bool wait, params string[] arguments)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/jobs", new { command = arguments[0], arguments = arguments[1..], wait });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/jobs {string.Join(' ', arguments)}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>GET /api/v1/jobs: the kept jobs, newest first.</summary>
    public static async Task<IReadOnlyList<JsonElement>> JobsAsync(HttpClient client) =>
        [.. JsonDocument.Parse(await client.GetStringAsync("/api/v1/jobs")).RootElement.EnumerateArray().Select(j => j.Clone())];

    /// <summary>
    /// Asks GET /api/v1/jobs until <paramref name="condition"/> holds for the list; fails the test
    /// if it does not within <paramref name="guard"/>, a guard against a hang rather than a measure.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> WaitForJobsAsync(HttpClient client, Func<IReadOnlyList<JsonElement>, bool> condition, TimeSpan guard, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var jobs = await JobsAsync(client);
            if (condition(jobs))
            {
                return jobs;
            }

            if (clock.Elapsed > guard)
            {
                Assert.Fail($"{what} did not happen within {guard.TotalSeconds} s; the jobs: {string.Join("; ", jobs.Select(Describe))}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A job in a line, for failure messages.</summary>
    public static string Describe(JsonElement job) =>
        $"{job.GetProperty("id").GetString()} {job.GetProperty("command").GetString()} {string.Join(' ', job.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()))}: {job.GetProperty("state").GetString()} {Tail(job.GetProperty("log").GetString())}";

    public static string State(JsonElement job) => job.GetProperty("state").GetString()!;

    public static bool IsFinished(JsonElement job) => State(job) is "SUCCEEDED" or "FAILED" or "CANCELLED";

    private static string Tail(string? log) => log is null || log.Length < 300 ? log ?? string.Empty : "…" + log[^300..];

    private void Write(string path, string text)
    {
        var full = _temp.Combine(path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }
}

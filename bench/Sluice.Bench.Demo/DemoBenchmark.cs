using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Sluice.DuckDb;

namespace Sluice.Bench;

/// <summary>The figures of one benchmark run.</summary>
internal sealed record DemoResult(Samples Fresh, Samples Again, Samples Limit, long Emails, long Applications, int Checks, int ChecksPassed)
{
    /// <summary>The limit over the fresh demo: how close the command comes to the engine's own work.</summary>
    public double Ratio => Fresh.Median.TotalSeconds == 0 ? 0 : Limit.Median.TotalSeconds / Fresh.Median.TotalSeconds;
}

/// <summary>
/// Times <c>sluice demo --no-serve</c> as a user runs it — a new process in an empty folder —
/// then the same command again with nothing new, and, as the limit, the least the engine must do
/// with the same files: load both tables from them and aggregate the risk mart in one DuckDB.
/// </summary>
internal static partial class DemoBenchmark
{
    public static async Task<DemoResult> RunAsync(string work, DemoBenchOptions options)
    {
        var fresh = new Samples();
        var again = new Samples();
        var limit = new Samples();
        (long Emails, long Applications, int Checks, int Passed) last = default;
        for (var run = 0; run <= options.Runs; run++)
        {
            var directory = Path.Combine(work, $"demo{run}");

            // Round 0 warms the machine's file cache and the runtime; it is not counted.
            var (time, output) = await DemoAsync(options, directory);
            var (timeAgain, _) = await DemoAsync(options, directory);
            var limitTime = Limit(directory);
            Console.WriteLine($"  round {run}{(run == 0 ? " (warm-up)" : string.Empty)}: demo {Format.Seconds(time)}, again {Format.Seconds(timeAgain)}, limit {Format.Seconds(limitTime)}");
            if (run > 0)
            {
                fresh.Add(time);
                again.Add(timeAgain);
                limit.Add(limitTime);
            }

            last = Summary(output);
            Directory.Delete(directory, recursive: true);
        }

        return new DemoResult(fresh, again, limit, last.Emails, last.Applications, last.Checks, last.Passed);
    }

    private static async Task<(TimeSpan Time, string Output)> DemoAsync(DemoBenchOptions options, string directory)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { options.Sluice!, "demo", "--dir", directory, "--days", options.Days.ToString(CultureInfo.InvariantCulture), "--no-serve" })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var time = clock.Elapsed;
        return process.ExitCode == 0
            ? (time, await output)
            : throw new InvalidOperationException($"sluice demo exited {process.ExitCode}:\n{await errors}");
    }

    // Both tables loaded from the generated files and the risk mart's figures per day, in one
    // in-memory DuckDB: the engine's share of the demo, without Sluice's bookkeeping.
    private static TimeSpan Limit(string directory)
    {
        var data = Path.Combine(directory, "data");
        var clock = Stopwatch.StartNew();
        using var connection = new DuckDbConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            create table emails as select * from read_csv('{data}/emails_*.csv', header = true);
            create table applications as select * from read_csv('{data}/applications_*.csv', header = true);
            create table risk as
            select cast(received_at as date) as d, count(*) as emails, count(risk_score) as scored,
                   count(*) filter (where risk_score >= 90) as critical, avg(risk_score) as avg_risk,
                   min(risk_score) as min_risk, max(risk_score) as max_risk,
                   count(*) filter (where category = 'offer') as offers
            from emails group by 1;
            select (select count(*) from risk) + (select count(*) from applications where created_at is not null);
            """;
        command.ExecuteScalar();
        return clock.Elapsed;
    }

    private static (long Emails, long Applications, int Checks, int Passed) Summary(string output)
    {
        var match = SummaryLine().Match(output);
        return match.Success
            ? (Number(match.Groups[1].Value), Number(match.Groups[2].Value), (int)Number(match.Groups[3].Value), (int)Number(match.Groups[4].Value))
            : throw new InvalidOperationException($"sluice demo printed no summary line:\n{output}");
    }

    private static long Number(string text) => long.Parse(text.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"([\d,]+) emails and ([\d,]+) applications in the warehouse; .* ran (\d+) check\(s\): (\d+) passed")]
    private static partial Regex SummaryLine();
}

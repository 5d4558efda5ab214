using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Sluice.DuckDb;

namespace Sluice.Bench;

/// <summary>The figures of one example's benchmark run.</summary>
/// <param name="Example">applylens or aivo.</param>
/// <param name="Fresh">The demo in an empty folder.</param>
/// <param name="Again">The same command again, with nothing new.</param>
/// <param name="Limit">The engine's share of the work.</param>
/// <param name="Counts">The two counts of the summary line: emails and applications, or learners and sessions.</param>
/// <param name="Checks">Checks the last build ran.</param>
/// <param name="ChecksPassed">Those that passed.</param>
internal sealed record DemoResult(string Example, Samples Fresh, Samples Again, Samples Limit, (long First, long Second) Counts, int Checks, int ChecksPassed)
{
    /// <summary>The limit over the fresh demo: how close the command comes to the engine's own work.</summary>
    public double Ratio => Fresh.Median.TotalSeconds == 0 ? 0 : Limit.Median.TotalSeconds / Fresh.Median.TotalSeconds;
}

/// <summary>
/// Times <c>sluice demo EXAMPLE --no-serve</c> as a user runs it — a new process in an empty
/// folder — then the same command again with nothing new, and, as the limit, the least the
/// engine must do with the same files: load the tables from them and compute the marts' or
/// facts' figures in one DuckDB.
/// </summary>
internal static partial class DemoBenchmark
{
    public static async Task<DemoResult> RunAsync(string work, DemoBenchOptions options, string example)
    {
        var fresh = new Samples();
        var again = new Samples();
        var limit = new Samples();
        ((long, long) Counts, int Checks, int Passed) last = default;
        for (var run = 0; run <= options.Runs; run++)
        {
            var directory = Path.Combine(work, $"{example}{run}");

            // Round 0 warms the machine's file cache and the runtime; it is not counted.
            var (time, output) = await DemoAsync(options, example, directory);
            var (timeAgain, _) = await DemoAsync(options, example, directory);
            var limitTime = Limit(Path.Combine(directory, "data"), example == "aivo" ? AivoLimit : ApplyLensLimit);
            Console.WriteLine($"  round {run}{(run == 0 ? " (warm-up)" : string.Empty)}: demo {Format.Seconds(time)}, again {Format.Seconds(timeAgain)}, limit {Format.Seconds(limitTime)}");
            if (run > 0)
            {
                fresh.Add(time);
                again.Add(timeAgain);
                limit.Add(limitTime);
            }

            last = Summary(output, example);
            Directory.Delete(directory, recursive: true);
        }

        return new DemoResult(example, fresh, again, limit, last.Counts, last.Checks, last.Passed);
    }

    private static Task<(TimeSpan Elapsed, string Output)> DemoAsync(DemoBenchOptions options, string example, string directory) =>
        SluiceCommand.RunAsync(options.Sluice!, "demo", example, "--dir", directory, "--days", options.Days.ToString(CultureInfo.InvariantCulture), "--no-serve");

    // Both tables loaded from the generated files and the risk mart's figures per day, in one
    // in-memory DuckDB: the engine's share of the demo, without Sluice's bookkeeping.
    private const string ApplyLensLimit = """
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

    // The twelve tables loaded from the files and the five facts' figures per day, without the
    // dimensions' history: what any pipeline must read and aggregate.
    private const string AivoLimit = """
        create table sessions as select * from read_csv('{data}/sessions_*.csv', header = true);
        create table activities as select * from read_csv('{data}/activities_*.csv', header = true);
        create table responses as select * from read_csv('{data}/responses_*.csv', header = true);
        create table focus as select * from read_csv('{data}/focus_events_*.csv', header = true);
        create table homework as select * from read_csv('{data}/homework_submissions_*.csv', header = true);
        create table progress as select * from read_csv('{data}/skill_progress_snapshots_*.csv', header = true);
        create table recommendations as select * from read_csv('{data}/ai_recommendations_*.csv', header = true);
        create table learners as select * from read_csv('{data}/learners.csv', header = true);
        create table fact_sessions as
        select s.id, cast(s.started_at as date) as d, date_diff('second', s.started_at, s.ended_at) as duration,
               count(distinct a.id) as activities, count(r.id) as answers, count(r.id) filter (where r.is_correct) as correct
        from sessions s left join activities a on a.session_id = s.id left join responses r on r.activity_id = a.id
        group by all;
        create table fact_focus as select f.*, l.grade from focus f join learners l on l.id = f.learner_id;
        create table fact_homework as select cast(submitted_at as date) as d, learner_id, subject_id, count(*), avg(score) from homework group by all;
        create table fact_progress as select p.*, l.grade from progress p join learners l on l.id = p.learner_id;
        create table fact_recommendations as
        select id, 'shown' as event, shown_at as at from recommendations
        union all select id, status, responded_at from recommendations where status <> 'shown';
        select (select count(*) from fact_sessions) + (select count(*) from fact_focus) + (select count(*) from fact_homework)
             + (select count(*) from fact_progress) + (select count(*) from fact_recommendations);
        """;

    private static TimeSpan Limit(string data, string sql)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new DuckDbConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql.Replace("{data}", data, StringComparison.Ordinal);
        command.ExecuteScalar();
        return clock.Elapsed;
    }

    private static ((long, long) Counts, int Checks, int Passed) Summary(string output, string example)
    {
        var match = (example == "aivo" ? AivoSummaryLine() : SummaryLine()).Match(output);
        return match.Success
            ? ((Number(match.Groups[1].Value), Number(match.Groups[2].Value)), (int)Number(match.Groups[3].Value), (int)Number(match.Groups[4].Value))
            : throw new InvalidOperationException($"sluice demo {example} printed no summary line:\n{output}");
    }

    private static long Number(string text) => long.Parse(text.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"([\d,]+) emails and ([\d,]+) applications in the warehouse; .* ran (\d+) check\(s\): (\d+) passed")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"([\d,]+) learners and ([\d,]+) sessions in the warehouse, .* ran (\d+) check\(s\): (\d+) passed")]
    private static partial Regex AivoSummaryLine();
}

using System.Diagnostics;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Warehouses;

namespace Sluice.Bench;

/// <summary>
/// A DuckDB file per size. DuckDB runs inside the server's process, which keeps no log of the
/// SQL it runs, so the limit is the same aggregates written by hand here, run on a warehouse
/// session once the server has let the file go.
/// </summary>
internal sealed class DuckDbEngine : ScaleEngine
{
    public override string Name => "DuckDB";

    public override string LimitMethod =>
        "the same aggregates written by hand in DuckDB's SQL, run on a Sluice warehouse session after the server stopped; Sluice runs DuckDB inside its own process, which logs no SQL, so neither Sluice's exact SQL nor the data-version query it sends with every request is in this figure";

    public override Task<string> WarehouseAsync(long rows) => Task.FromResult($"type: duckdb\npath: scale-{rows}.duckdb");

    public override async Task<IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>>> LimitsAsync(ScaleRun run)
    {
        var parsed = ProjectParser.Parse(ProjectLoader.Load(run.Directory, _ => null));
        await using var warehouse = WarehouseFactory.Create(parsed.Project.Warehouse, run.Directory);
        await using var session = await warehouse.OpenSessionAsync();
        var limits = new Dictionary<string, IReadOnlyList<TimeSpan>>(StringComparer.Ordinal);
        foreach (var question in ScaleProject.Questions)
        {
            var sql = Sql(question.Name);
            var runs = new List<TimeSpan>();
            for (var i = 0; i < run.Options.Warmups + run.Options.Requests; i++)
            {
                var clock = Stopwatch.StartNew();
                await using (var reader = await session.QueryAsync(sql))
                {
                    while (await reader.ReadAsync())
                    {
                    }
                }

                if (i >= run.Options.Warmups)
                {
                    runs.Add(clock.Elapsed);
                }
            }

            limits[question.Name] = runs;
        }

        return limits;
    }

    private static string Sql(string question)
    {
        var range = $"created_at >= timestamp '{ScaleData.FirstDay:yyyy-MM-dd}' and created_at < timestamp '{ScaleData.LastDay.AddDays(1):yyyy-MM-dd}'";
        var companies = string.Join(", ", Enumerable.Range(1, 10).Select(c => $"'{ScaleData.Company(c)}'"));
        return question switch
        {
            "trend" => $"""
                select date_trunc('month', created_at)::date, dimension, avg(score), count(*), min(score), max(score), stddev_samp(score), count(*) over ()
                from raw.facts where {range}
                group by 1, 2 order by 1, 2 limit 1000
                """,
            "cohorts" => $"""
                select company, count(*), avg(score), quantile_cont(score, 0.25), quantile_cont(score, 0.5), quantile_cont(score, 0.75), min(score), max(score)
                from raw.facts where {range} and company in ({companies})
                group by company order by count(*) desc, company limit 10
                """,
            _ => $"""
                with firsts as (
                    select entity,
                           min(event_time) filter (where step = 'enrolled') as enrolled,
                           min(event_time) filter (where step = 'matched') as matched,
                           min(event_time) filter (where step = 'completed') as completed
                    from raw.events group by entity)
                select count(*),
                       count(*) filter (where matched >= enrolled and matched <= enrolled + interval 30 day),
                       count(*) filter (where matched >= enrolled and matched <= enrolled + interval 30 day and completed >= matched and completed <= enrolled + interval 30 day)
                from firsts
                where enrolled >= timestamp '{ScaleData.FirstDay:yyyy-MM-dd}' and enrolled < timestamp '{ScaleData.LastDay.AddDays(1):yyyy-MM-dd}'
                """,
        };
    }
}

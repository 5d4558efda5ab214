using System.Globalization;
using Sluice.Server.Access;

namespace Sluice.Bench;

/// <summary>
/// The served project: a 10-million-row fact table (a score per company, program and time over
/// a year) behind a trend and cohorts, and a 1-million-event table behind a three-step funnel,
/// both DuckDB tables declared as sources and served through metrics.yml; and a model copying
/// the facts with a day rollup by program, behind a second trend.
/// </summary>
internal sealed class ServeProject(string directory, ServeBenchOptions options)
{
    /// <summary>The admin key the load sends; its budget and rate are high enough never to refuse.</summary>
    public const string Key = "sk-bench-7d1e5a93c4b2f608";

    /// <summary>The fact table covers the year up to this day, the events its last 90 days.</summary>
    public static readonly DateOnly LastDay = new(2026, 6, 30);

    private const int YearDays = 365;
    private const int FunnelDays = 90;

    public string Directory { get; } = directory;

    public static DateOnly FirstDay => LastDay.AddDays(1 - YearDays);

    public static DateOnly FunnelFirstDay => LastDay.AddDays(1 - FunnelDays);

    /// <summary>Users in the funnel: four in ten events are first visits.</summary>
    public long Users => options.Events * 4 / 10;

    /// <summary>Writes sluice.yml (with the cache on or off), the sources and metrics.yml.</summary>
    public async Task WriteAsync(bool cache)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "models"));
        await File.WriteAllTextAsync(Path.Combine(Directory, "sluice.yml"), $$"""
            name: serve_bench
            warehouse:
              type: duckdb
              path: bench.duckdb
            serve:
              cache: {{(cache ? "true" : "false")}}
              health_per_minute: 1000000
              api_keys:
                - name: bench
                  sha256: {{ServeConfigReader.Hash(Key)}}
                  admin: true
                  budget: {daily: 1000000000}
                  rate: {per_second: 1000000, burst: 1000000}

            """);
        await File.WriteAllTextAsync(Path.Combine(Directory, "models", "sources.yml"), """
            version: 2
            sources:
              - name: raw
                schema: raw
                tables:
                  - name: events
                  - name: user_events

            """);
        await File.WriteAllTextAsync(Path.Combine(Directory, "models", "fct_events.sql"), """
            {{ config(materialized='table', rollups=[{'grain': 'day', 'time': 'occurred_at', 'dimensions': ['program'], 'measures': ['score']}]) }}
            select * from {{ source('raw', 'events') }}

            """);
        await File.WriteAllTextAsync(Path.Combine(Directory, "metrics.yml"), """
            metrics:
              - name: score
                model: "source('raw', 'events')"
                time: occurred_at
                measure: {agg: avg, expr: score}
                dimensions: [program, company_id]
              - name: score_rollup
                model: fct_events
                time: occurred_at
                measure: {agg: avg, expr: score}
                dimensions: [program, company_id]
            funnels:
              - name: journey
                model: "source('raw', 'user_events')"
                entity: user_id
                time: occurred_at
                step: {column: event_name, values: [visited, signed_up, purchased]}
                window: 30d

            """);
    }

    /// <summary>
    /// The tables. Facts arrive in time order, as an append-only fact table does; scores and
    /// programs are spread by a hash. Of the users, all visit, seven in ten sign up a day later,
    /// half buy three days after visiting, and three in ten visit again.
    /// </summary>
    public string CreateTables()
    {
        var rows = options.Rows.ToString(CultureInfo.InvariantCulture);
        var users = Users.ToString(CultureInfo.InvariantCulture);
        var signedUp = (Users * 17 / 10).ToString(CultureInfo.InvariantCulture);
        var bought = (Users * 22 / 10).ToString(CultureInfo.InvariantCulture);
        return $"""
            create schema if not exists raw;
            create or replace table raw.events as
            select i as id,
                   (i % 500)::integer as company_id,
                   ['north', 'south', 'east', 'west', 'core', 'pilot', 'growth', 'legacy'][1 + (hash(i) % 8)::integer] as program,
                   timestamp '{FirstDay:yyyy-MM-dd}' + to_seconds(i * {YearDays * 86400L} // {rows}) as occurred_at,
                   round((hash(i * 7 + 1) % 10000) / 100.0, 2) as score
            from range({rows}) t(i);
            create or replace table raw.user_events as
            with numbered as (
                select i,
                       case when i < {users} then i when i < {signedUp} then i - {users} when i < {bought} then i - {signedUp} else (i - {bought}) % {users} end as user_id,
                       case when i < {users} then 'visited' when i < {signedUp} then 'signed_up' when i < {bought} then 'purchased' else 'visited' end as event_name,
                       case when i < {users} then 0 when i < {signedUp} then 1 when i < {bought} then 3 else 2 end as days_after
                from range({options.Events.ToString(CultureInfo.InvariantCulture)}) t(i))
            select i as id, user_id, event_name,
                   timestamp '{FunnelFirstDay:yyyy-MM-dd}' + to_seconds(user_id * {FunnelDays * 86400L} // {users}) + to_days(days_after::integer) as occurred_at
            from numbered;
            checkpoint;
            """;
    }

    /// <summary>The trend request: the last 90 days of the year, by day.</summary>
    public static string TrendPath => $"/api/v1/metrics/score/trend?from={FunnelFirstDay:yyyy-MM-dd}&to={LastDay:yyyy-MM-dd}";

    /// <summary>The same trend of the same rows, copied into a model with a day rollup by program.</summary>
    public static string TrendRollupPath => $"/api/v1/metrics/score_rollup/trend?from={FunnelFirstDay:yyyy-MM-dd}&to={LastDay:yyyy-MM-dd}";

    /// <summary>The cohorts request: the score's distribution per program over the same 90 days.</summary>
    public static string CohortsPath => $"/api/v1/metrics/score/cohorts?by=program&from={FunnelFirstDay:yyyy-MM-dd}&to={LastDay:yyyy-MM-dd}";

    /// <summary>The funnel request: every event.</summary>
    public static string FunnelPath => $"/api/v1/funnels/journey?from={FunnelFirstDay:yyyy-MM-dd}&to={LastDay:yyyy-MM-dd}";

    /// <summary>
    /// The least the engine must do for each request: the same aggregate, written directly, with
    /// no HTTP, parameters, JSON or cache around it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LimitSql { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["trend"] = $"""
            select cast(date_trunc('day', occurred_at) as date), avg(score), count(*), min(score), max(score), stddev_samp(score)
            from raw.events where occurred_at >= timestamp '{FunnelFirstDay:yyyy-MM-dd}' and occurred_at < timestamp '{LastDay.AddDays(1):yyyy-MM-dd}'
            group by 1 order by 1
            """,
        ["trend_rollup"] = $"""
            select period, sum(score__sum) / sum(score__count), cast(sum(row_count) as bigint), min(score__min), max(score__max),
                   sqrt((sum(score__m2) + sum(score__sum * score__sum / score__count) - sum(score__sum) * sum(score__sum) / sum(score__count)) / (sum(score__count) - 1))
            from main.fct_events__rollup_day where period >= date '{FunnelFirstDay:yyyy-MM-dd}' and period < date '{LastDay.AddDays(1):yyyy-MM-dd}'
            group by 1 order by 1
            """,
        ["cohorts"] = $"""
            select program, count(*), avg(score), quantile_cont(score, [0.25, 0.5, 0.75]), min(score), max(score)
            from raw.events where occurred_at >= timestamp '{FunnelFirstDay:yyyy-MM-dd}' and occurred_at < timestamp '{LastDay.AddDays(1):yyyy-MM-dd}'
            group by 1 order by 2 desc
            """,
        ["funnel"] = """
            with firsts as (
                select user_id,
                       min(occurred_at) filter (where event_name = 'visited') as visited,
                       min(occurred_at) filter (where event_name = 'signed_up') as signed_up,
                       min(occurred_at) filter (where event_name = 'purchased') as purchased
                from raw.user_events group by user_id)
            select count(visited),
                   count(*) filter (where signed_up >= visited and signed_up <= visited + interval 30 day),
                   count(*) filter (where signed_up >= visited and signed_up <= visited + interval 30 day and purchased >= signed_up and purchased <= visited + interval 30 day)
            from firsts
            """,
    };
}

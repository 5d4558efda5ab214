-- Backfill performance against its SLO (p95 under 300 s), from Sluice's own job runs: every
-- partition a build or backfill wrote successfully, per day it ran, over the last slo_days days.
-- Runs a later full refresh superseded (superseded_by) count on the day they ran: they ran, and
-- took the time they took.
-- depends_on: {{ ref('mrt_risk_daily') }}
{{ config(materialized='table', schema='marts', unique_key='d') }}

with spine as (
    select cast(day as date) as d
    from generate_series(
        cast(current_date - {{ var('slo_days', 30) - 1 }} as timestamp),
        cast(current_date as timestamp),
        interval '1 day'
    ) as days (day)
),

backfills as (
    select
        run_date as d,
        cast(duration_ms as double precision) / 1000 as duration_seconds,
        rows_processed
    from {{ source('sluice', 'job_runs') }}
    where target_date is not null
      and status = 'SUCCESS'
),

days as (
    select
        spine.d,
        count(backfills.d) as backfill_count,
        avg(backfills.duration_seconds) as avg_duration_seconds,
        percentile_cont(0.5) within group (order by backfills.duration_seconds) as p50_duration_seconds,
        percentile_cont(0.95) within group (order by backfills.duration_seconds) as p95_duration_seconds,
        coalesce(sum(backfills.rows_processed), 0) as rows_processed
    from spine
    left join backfills on backfills.d = spine.d
    group by spine.d
)

select
    d,
    cast(backfill_count as bigint) as backfill_count,
    avg_duration_seconds,
    p50_duration_seconds,
    p95_duration_seconds,
    cast(rows_processed as bigint) as rows_processed,
    case
        when backfill_count = 0 then 'no_data'
        when p95_duration_seconds < 300 then 'healthy'
        when p95_duration_seconds < 420 then 'warning'
        else 'critical'
    end as slo_status
from days

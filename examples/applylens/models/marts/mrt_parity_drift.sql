-- Sync parity per day of the source data, from Sluice's own parity checks: for each day, the
-- rows the latest check of each table compared, how many differed, and the SLO's verdict.
{{ config(materialized='table', schema='marts', unique_key='d') }}

with latest as (
    select
        source,
        table_name,
        day,
        source_count,
        mismatches,
        checked_at,
        max(checked_at) over (partition by source, table_name) as latest_check_at
    from {{ source('sluice', 'parity_checks') }}
),

days as (
    select
        day as d,
        sum(source_count) as total_checked,
        sum(mismatches) as total_mismatches,
        max(checked_at) as last_check_at
    from latest
    where checked_at = latest_check_at
      and day is not null
      and source = 'app'
    group by day
),

ratios as (
    select
        d,
        cast(total_checked as bigint) as total_checked,
        cast(total_mismatches as bigint) as total_mismatches,
        cast(total_mismatches as double precision) / greatest(total_checked, 1) as mismatch_ratio,
        last_check_at
    from days
)

select
    d,
    total_checked,
    total_mismatches,
    mismatch_ratio,
    last_check_at,
    case
        when mismatch_ratio = 0 then 'healthy'
        when mismatch_ratio < 0.001 then 'acceptable'
        when mismatch_ratio < 0.005 then 'warning'
        else 'critical'
    end as slo_status
from ratios

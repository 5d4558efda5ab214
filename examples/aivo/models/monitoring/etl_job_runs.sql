-- The seed's etl_job_runs table, as a view of Sluice's job runs (_sluice.job_runs) in the
-- warehouse's default schema, so that its monitoring queries run unchanged: a snapshot is the
-- seed's sync_dim_<name> job, a fact model its build_<model> job, one row per run and partition.
{{ config(materialized='view', tags=['monitoring']) }}

select
    id,
    case
        when kind = 'snapshot' then 'sync_dim_' || substr(job_name, 6)
        else 'build_' || job_name
    end as job_name,
    run_date,
    target_date,
    status,
    cast(rows_processed as integer) as rows_processed,
    cast(rows_inserted as integer) as rows_inserted,
    cast(rows_updated as integer) as rows_updated,
    cast(rows_deleted as integer) as rows_deleted,
    cast(duration_ms as integer) as duration_ms,
    error_message,
    started_at,
    completed_at
from {{ source('sluice', 'job_runs') }}
where kind = 'snapshot' or substr(job_name, 1, 5) = 'fact_'

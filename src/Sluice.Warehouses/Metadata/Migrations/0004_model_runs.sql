-- Job runs as the transform stage records them: one row per run of a model, seed or snapshot,
-- and per partition of a partitioned model. Replaces the table of version 2, which no release
-- wrote to. A partition's rows and its SUCCESS row are committed in one transaction.
drop table _sluice.job_runs;

create table _sluice.job_runs (
    id varchar primary key,
    invocation_id varchar not null,
    job_name varchar not null,
    kind varchar not null,
    run_date date not null,
    target_date date,
    status varchar not null,
    rows_processed bigint,
    rows_inserted bigint,
    rows_updated bigint,
    rows_deleted bigint,
    duration_ms bigint,
    error_message varchar,
    started_at timestamptz not null,
    completed_at timestamptz,
    host varchar not null,
    pid integer not null
);

create index job_runs_by_job on _sluice.job_runs (job_name, target_date);

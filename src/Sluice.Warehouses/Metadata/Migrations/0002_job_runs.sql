-- One row per run of a job (sync, model, check, backfill partition). A partition's data and
-- its SUCCESS row are written in the same transaction.
create table _sluice.job_runs (
    run_id varchar primary key,
    job varchar not null,
    kind varchar not null,
    partition_key varchar,
    status varchar not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    rows_written bigint,
    message varchar
);

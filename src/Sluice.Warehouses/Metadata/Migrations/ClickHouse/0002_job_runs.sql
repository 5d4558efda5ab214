-- One row per run of a job (sync, model, check, backfill partition). A partition's data and
-- its SUCCESS row are written in the same transaction (ClickHouse has none: one after the other).
create table _sluice.job_runs (
    run_id String,
    job String,
    kind String,
    partition_key Nullable(String),
    status String,
    started_at DateTime('UTC'),
    finished_at Nullable(DateTime('UTC')),
    rows_written Nullable(Int64),
    message Nullable(String)
) engine = MergeTree() order by (run_id);

-- Job runs as the transform stage records them: one row per run of a model, seed or snapshot,
-- and per partition of a partitioned model. Replaces the table of version 2, which no release
-- wrote to. A partition's rows and its SUCCESS row are committed in one transaction (on
-- ClickHouse, which has no transactions, one after the other).
drop table if exists _sluice.job_runs;

-- The sort key is id alone: the updates of later versions (0008, 0012) and of the runner
-- touch status, error_message, superseded_by, skip_reason … but never id.
create table _sluice.job_runs (
    id String,
    invocation_id String,
    job_name String,
    kind String,
    run_date Date,
    target_date Nullable(Date),
    status String,
    rows_processed Nullable(Int64),
    rows_inserted Nullable(Int64),
    rows_updated Nullable(Int64),
    rows_deleted Nullable(Int64),
    duration_ms Nullable(Int64),
    error_message Nullable(String),
    started_at DateTime('UTC'),
    completed_at Nullable(DateTime('UTC')),
    host String,
    pid Int32
) engine = MergeTree() order by (id);

-- Index job_runs_by_job (job_name, target_date) left out: ClickHouse has no secondary indexes.

-- One row per check per run: what was checked, over which rows, and what failed. The sample
-- holds up to 20 failing rows as a JSON array, with their key columns where the model has one.
create table _sluice.check_results (
    id String,
    run_id String,
    check_name String,
    check_type String,
    model Nullable(String),
    column_name Nullable(String),
    severity String,
    status String,
    failing_rows Nullable(Int64),
    rows_in_scope Nullable(Int64),
    failing_ratio Nullable(Float64),
    mostly Nullable(Float64),
    sample Nullable(String),
    message Nullable(String),
    scope Nullable(String),
    location String,
    duration_ms Int64,
    checked_at DateTime('UTC')
) engine = MergeTree() order by (id);

-- Index check_results_by_check (check_name, checked_at) left out: ClickHouse has no secondary indexes.

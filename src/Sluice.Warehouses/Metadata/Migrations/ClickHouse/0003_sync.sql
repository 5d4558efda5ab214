-- Where each synced table stands. Written in the same transaction as the rows it describes, so
-- the watermark never runs ahead of the data or falls behind it. (ClickHouse has no
-- transactions: the adapter writes the rows first, then this row.)
create table _sluice.sync_state (
    source String,
    table_name String,
    cursor_column Nullable(String),
    watermark Nullable(String),
    syncs Int64,
    last_reconciled_at Nullable(DateTime('UTC')),
    updated_at DateTime('UTC')
) engine = MergeTree() order by (source, table_name);

-- One row per sync of one table. A running sync updates its row with every committed batch
-- (on ClickHouse each update is a mutation; none touches run_id, the sort key).
create table _sluice.sync_runs (
    run_id String,
    source String,
    table_name String,
    mode String,
    status String,
    started_at DateTime('UTC'),
    completed_at Nullable(DateTime('UTC')),
    rows_read Int64,
    rows_upserted Int64,
    rows_deleted Int64,
    bytes Int64,
    watermark_before Nullable(String),
    watermark_after Nullable(String),
    error Nullable(String)
) engine = MergeTree() order by (run_id);

-- Source against warehouse, per table and per day (day is null for the table's total).
-- No primary key, so no sort key.
create table _sluice.parity_checks (
    checked_at DateTime('UTC'),
    source String,
    table_name String,
    day Nullable(Date),
    source_count Int64,
    warehouse_count Int64,
    mismatches Int64,
    mismatch_ratio Float64,
    source_checksum Nullable(String),
    warehouse_checksum Nullable(String)
) engine = MergeTree() order by tuple();

-- CSV files loaded, so that each is loaded once and reloaded when it changes.
create table _sluice.csv_files (
    source String,
    table_name String,
    file_name String,
    size_bytes Int64,
    sha256 String,
    rows_loaded Int64,
    loaded_at DateTime('UTC')
) engine = MergeTree() order by (source, table_name, file_name);

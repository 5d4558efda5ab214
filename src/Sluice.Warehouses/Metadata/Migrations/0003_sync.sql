-- Where each synced table stands. Written in the same transaction as the rows it describes, so
-- the watermark never runs ahead of the data or falls behind it.
create table _sluice.sync_state (
    source varchar not null,
    table_name varchar not null,
    cursor_column varchar,
    watermark varchar,
    syncs bigint not null,
    last_reconciled_at timestamptz,
    updated_at timestamptz not null,
    primary key (source, table_name)
);

-- One row per sync of one table. A running sync updates its row with every committed batch.
create table _sluice.sync_runs (
    run_id varchar primary key,
    source varchar not null,
    table_name varchar not null,
    mode varchar not null,
    status varchar not null,
    started_at timestamptz not null,
    completed_at timestamptz,
    rows_read bigint not null,
    rows_upserted bigint not null,
    rows_deleted bigint not null,
    bytes bigint not null,
    watermark_before varchar,
    watermark_after varchar,
    error varchar
);

-- Source against warehouse, per table and per day (day is null for the table's total).
create table _sluice.parity_checks (
    checked_at timestamptz not null,
    source varchar not null,
    table_name varchar not null,
    day date,
    source_count bigint not null,
    warehouse_count bigint not null,
    mismatches bigint not null,
    mismatch_ratio double precision not null,
    source_checksum varchar,
    warehouse_checksum varchar
);

-- CSV files loaded, so that each is loaded once and reloaded when it changes.
create table _sluice.csv_files (
    source varchar not null,
    table_name varchar not null,
    file_name varchar not null,
    size_bytes bigint not null,
    sha256 varchar not null,
    rows_loaded bigint not null,
    loaded_at timestamptz not null,
    primary key (source, table_name, file_name)
);

-- The version of the _sluice schema: one row per migration applied.
-- ClickHouse enforces no uniqueness: two processes migrating at once may both record a
-- version, and the ReplacingMergeTree collapses such rows into one when the table is optimized.
create table _sluice.schema_version (
    version Int32,
    name String,
    applied_at DateTime('UTC')
) engine = ReplacingMergeTree() order by (version);

-- Rollups as last built: one row per rollup table, written in the transaction that rebuilt it
-- (with its model's data; on ClickHouse, which has no transactions, after it). The definition is
-- the rollup's declaration as text; a server reads a rollup only while its row's definition is
-- the one the project declares.
create table _sluice.rollups (
    rollup_table String,
    model String,
    definition String,
    built_at DateTime('UTC')
) engine = MergeTree() order by (rollup_table);

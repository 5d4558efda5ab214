-- Rollups as last built: one row per rollup table, written in the transaction that rebuilt it
-- (with its model's data). The definition is the rollup's declaration as text; a server reads a
-- rollup only while its row's definition is the one the project declares.
create table _sluice.rollups (
    rollup_table varchar primary key,
    model varchar not null,
    definition varchar not null,
    built_at timestamptz not null
);

-- The version of the _sluice schema: one row per migration applied.
create table _sluice.schema_version (
    version integer primary key,
    name varchar not null,
    applied_at timestamptz not null
);

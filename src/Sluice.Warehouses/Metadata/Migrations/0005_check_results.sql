-- One row per check per run: what was checked, over which rows, and what failed. The sample
-- holds up to 20 failing rows as a JSON array, with their key columns where the model has one.
create table _sluice.check_results (
    id varchar primary key,
    run_id varchar not null,
    check_name varchar not null,
    check_type varchar not null,
    model varchar,
    column_name varchar,
    severity varchar not null,
    status varchar not null,
    failing_rows bigint,
    rows_in_scope bigint,
    failing_ratio double precision,
    mostly double precision,
    sample varchar,
    message varchar,
    scope varchar,
    location varchar not null,
    duration_ms bigint not null,
    checked_at timestamptz not null
);

create index check_results_by_check on _sluice.check_results (check_name, checked_at);

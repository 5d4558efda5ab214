-- One row per run of a schedule: a cron tick (on time, or caught up after the scheduler was
-- down) or a run asked for by hand. A row starts RUNNING and is finished once: SUCCESS, FAILED,
-- TIMED_OUT, CANCELLED, or INTERRUPTED when the process running it died and the next scheduler
-- found it.
create table _sluice.schedule_runs (
    id varchar primary key,
    schedule_name varchar not null,
    reason varchar not null,
    scheduled_for timestamptz,
    status varchar not null,
    attempts integer not null,
    started_at timestamptz not null,
    completed_at timestamptz,
    duration_ms bigint,
    exit_code integer,
    error_message varchar,
    host varchar,
    pid integer
);

-- Where each schedule stands: the last cron tick that was run (a restart does not run it again)
-- and when it is due next.
create table _sluice.schedules (
    name varchar primary key,
    last_tick timestamptz,
    last_status varchar,
    next_due timestamptz,
    updated_at timestamptz not null
);

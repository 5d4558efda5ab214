-- One row per run of a schedule: a cron tick (on time, or caught up after the scheduler was
-- down) or a run asked for by hand. A row starts RUNNING and is finished once: SUCCESS, FAILED,
-- TIMED_OUT, CANCELLED, or INTERRUPTED when the process running it died and the next scheduler
-- found it.
create table _sluice.schedule_runs (
    id String,
    schedule_name String,
    reason String,
    scheduled_for Nullable(DateTime('UTC')),
    status String,
    attempts Int32,
    started_at DateTime('UTC'),
    completed_at Nullable(DateTime('UTC')),
    duration_ms Nullable(Int64),
    exit_code Nullable(Int32),
    error_message Nullable(String),
    host Nullable(String),
    pid Nullable(Int32)
) engine = MergeTree() order by (id);

-- Where each schedule stands: the last cron tick that was run (a restart does not run it again)
-- and when it is due next.
create table _sluice.schedules (
    name String,
    last_tick Nullable(DateTime('UTC')),
    last_status Nullable(String),
    next_due Nullable(DateTime('UTC')),
    updated_at DateTime('UTC')
) engine = MergeTree() order by (name);

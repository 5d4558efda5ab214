-- One row per delivery of a notification (an alert firing or resolving, a failed job, a test)
-- to one channel, written when the delivery has ended: delivered (the channel answered 2xx, or
-- its command exited 0) or failed (every attempt failed, or one failed in a way a retry cannot
-- mend). last_error is the last failed attempt's error with the channel's secrets masked; it is
-- kept when a later attempt delivered.
create table _sluice.notifications (
    id String,
    channel String,
    channel_type String,
    kind String,
    dedup_key String,
    severity String,
    title String,
    occurred_at DateTime('UTC'),
    status String,
    attempts Int32,
    last_error Nullable(String),
    http_status Nullable(Int32),
    exit_code Nullable(Int32),
    started_at DateTime('UTC'),
    completed_at DateTime('UTC'),
    duration_ms Int64
) engine = MergeTree() order by (id);

-- Index notifications_by_key (dedup_key, channel) left out: ClickHouse has no secondary indexes.

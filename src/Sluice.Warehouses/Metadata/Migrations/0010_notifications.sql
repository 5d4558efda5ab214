-- One row per delivery of a notification (an alert firing or resolving, a failed job, a test)
-- to one channel, written when the delivery has ended: delivered (the channel answered 2xx, or
-- its command exited 0) or failed (every attempt failed, or one failed in a way a retry cannot
-- mend). last_error is the last failed attempt's error with the channel's secrets masked; it is
-- kept when a later attempt delivered.
create table _sluice.notifications (
    id varchar primary key,
    channel varchar not null,
    channel_type varchar not null,
    kind varchar not null,
    dedup_key varchar not null,
    severity varchar not null,
    title varchar not null,
    occurred_at timestamptz not null,
    status varchar not null,
    attempts integer not null,
    last_error varchar,
    http_status integer,
    exit_code integer,
    started_at timestamptz not null,
    completed_at timestamptz not null,
    duration_ms bigint not null
);

create index notifications_by_key on _sluice.notifications (dedup_key, channel);

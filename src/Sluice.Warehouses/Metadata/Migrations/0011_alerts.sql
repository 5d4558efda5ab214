-- Alerts that are pending or firing, one row per rule and subject; an alert that resolves or
-- clears is deleted here and stays in alert_events.
create table _sluice.alert_states (
    rule_name varchar not null,
    subject varchar not null,
    state varchar not null,
    consecutive integer not null,
    since timestamptz not null,
    last_notified_at timestamptz,
    value double precision,
    summary varchar not null,
    updated_at timestamptz not null,
    primary key (rule_name, subject)
);

-- Every transition of every alert: PENDING, FIRING, RENOTIFIED, RESOLVED, CLEARED, with whether
-- it was to be told and whether a silence kept it from being told.
create table _sluice.alert_events (
    id varchar primary key,
    rule_name varchar not null,
    subject varchar not null,
    kind varchar not null,
    severity varchar not null,
    occurred_at timestamptz not null,
    value double precision,
    summary varchar not null,
    notify boolean not null,
    silenced boolean not null
);

create index alert_events_by_time on _sluice.alert_events (occurred_at);

-- Silences: while one covers a rule (until its end), the rule's transitions tell nobody.
create table _sluice.alert_silences (
    id varchar primary key,
    rule_name varchar not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    reason varchar,
    created_by varchar not null
);

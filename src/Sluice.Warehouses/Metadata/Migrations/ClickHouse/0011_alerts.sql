-- Alerts that are pending or firing, one row per rule and subject; an alert that resolves or
-- clears is deleted here (on ClickHouse by a delete mutation) and stays in alert_events.
create table _sluice.alert_states (
    rule_name String,
    subject String,
    state String,
    consecutive Int32,
    since DateTime('UTC'),
    last_notified_at Nullable(DateTime('UTC')),
    value Nullable(Float64),
    summary String,
    updated_at DateTime('UTC')
) engine = MergeTree() order by (rule_name, subject);

-- Every transition of every alert: PENDING, FIRING, RENOTIFIED, RESOLVED, CLEARED, with whether
-- it was to be told and whether a silence kept it from being told (booleans as UInt8 0/1).
create table _sluice.alert_events (
    id String,
    rule_name String,
    subject String,
    kind String,
    severity String,
    occurred_at DateTime('UTC'),
    value Nullable(Float64),
    summary String,
    notify UInt8,
    silenced UInt8
) engine = MergeTree() order by (id);

-- Index alert_events_by_time (occurred_at) left out: ClickHouse has no secondary indexes.

-- Silences: while one covers a rule (until its end), the rule's transitions tell nobody.
create table _sluice.alert_silences (
    id String,
    rule_name String,
    starts_at DateTime('UTC'),
    ends_at DateTime('UTC'),
    reason Nullable(String),
    created_by String
) engine = MergeTree() order by (id);

-- API requests counted against budgets: one row per subject (a tenant, or an admin key with a
-- budget), period ('daily' or 'monthly') and the period's first day, in UTC. Servers claim
-- permits in blocks with a guarded update, so that queries_used never passes query_limit, and
-- hand the unused rest back when they stop.
create table _sluice.query_budgets (
    subject varchar not null,
    period varchar not null,
    period_start date not null,
    query_limit bigint,
    queries_used bigint not null,
    updated_at timestamptz not null,
    primary key (subject, period, period_start)
);

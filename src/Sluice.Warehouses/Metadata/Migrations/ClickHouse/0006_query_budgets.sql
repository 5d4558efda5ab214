-- API requests counted against budgets: one row per subject (a tenant, or an admin key with a
-- budget), period ('daily' or 'monthly') and the period's first day, in UTC. Servers claim
-- permits in blocks with a guarded update, so that queries_used never passes query_limit, and
-- hand the unused rest back when they stop.
-- ClickHouse: the guarded update is a mutation, which is not atomic against a concurrent one,
-- so two servers claiming at once can pass query_limit; queries_used is not in the sort key.
create table _sluice.query_budgets (
    subject String,
    period String,
    period_start Date,
    query_limit Nullable(Int64),
    queries_used Int64,
    updated_at DateTime('UTC')
) engine = MergeTree() order by (subject, period, period_start);

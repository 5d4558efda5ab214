-- A SKIPPED run was not built for one of two reasons, which monitoring must tell apart:
-- UPSTREAM, something it depends on failed, was skipped or was stopped by a failing check (it
-- needs attention); ALREADY_BUILT, its partition had a SUCCESS run that no full refresh has
-- superseded, so it was left alone (nothing to do; --force builds it again). Null for runs that
-- were not skipped. error_message keeps the reason in words.
--
-- Before version 12 only runs whose upstream had failed were recorded as SKIPPED.
-- ClickHouse: the update below becomes a mutation (ALTER TABLE … UPDATE); skip_reason is not in
-- the sort key (id).
alter table _sluice.job_runs add column skip_reason Nullable(String);
update _sluice.job_runs
set skip_reason = 'UPSTREAM'
where status = 'SKIPPED';

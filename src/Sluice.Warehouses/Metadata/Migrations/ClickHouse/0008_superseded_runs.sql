-- Job runs are history: a run keeps the status it finished with. A full refresh that drops a
-- partitioned model's table marks the SUCCESS rows of its partitions with its invocation_id,
-- in the transaction of the drop, so that they stop counting as built partitions.
--
-- Earlier versions turned those rows into FAILED ones with this message (they had been SUCCESS,
-- with no error). They are successes again; which invocation superseded them was not recorded.
-- ClickHouse: the update below becomes a mutation (ALTER TABLE … UPDATE); it sets no sort-key
-- column (the key is id).
alter table _sluice.job_runs add column superseded_by Nullable(String);
update _sluice.job_runs
set status = 'SUCCESS', error_message = null, superseded_by = 'unknown'
where status = 'FAILED' and error_message = 'superseded by a full refresh';

-- Homework handed in on the partition's day, per learner and subject (the seed's
-- build_fact_homework_events): submissions, those late (after their due time), those graded so
-- far and their mean score. Grading comes a day or two later, and builds the day again.
{{ config(
    materialized='incremental',
    schema='warehouse',
    tags=['facts'],
    partition_by={'field': 'date_key', 'data_type': 'int'},
    partition_inputs=[{'source': 'oltp.homework_submissions', 'column': 'submitted_at'}]
) }}

with submissions as (
    select *
    from {{ source('oltp', 'homework_submissions') }}
    where _sluice_deleted_at is null
      and {{ in_partition('submitted_at', partition_start, partition_end) }}
)

select
    {{ date_key('submissions.submitted_at') }} as date_key,
    learners.learner_key,
    tenants.tenant_key,
    subjects.subject_key,
    cast(count(*) as integer) as submissions,
    cast(count(*) filter (where submissions.submitted_at > submissions.due_at) as integer) as late_submissions,
    cast(count(submissions.score) as integer) as graded_submissions,
    avg(submissions.score) as avg_score
from submissions
left join {{ ref('dim_learner') }} as learners
    on learners.learner_id = submissions.learner_id and {{ valid_at('learners', 'submissions.submitted_at') }}
left join {{ ref('dim_tenant') }} as tenants
    on tenants.tenant_id = learners.tenant_id and {{ valid_at('tenants', 'submissions.submitted_at') }}
left join {{ ref('dim_subject') }} as subjects
    on subjects.subject_id = submissions.subject_id and {{ valid_at('subjects', 'submissions.submitted_at') }}
group by 1, 2, 3, 4

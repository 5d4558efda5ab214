-- One row per learning session started on the partition's day (the seed's build_fact_sessions):
-- its duration, the activities started and completed, the answers given and those correct, and
-- the tenant, learner and subject versions current when it started. A day is built again when a
-- sync brings changed sessions, activities or answers of that day.
{{ config(
    materialized='incremental',
    schema='warehouse',
    tags=['facts'],
    partition_by={'field': 'date_key', 'data_type': 'int'},
    partition_inputs=[
        {'source': 'oltp.sessions', 'column': 'started_at'},
        {'source': 'oltp.activities', 'column': 'started_at'},
        {'source': 'oltp.responses', 'column': 'answered_at'},
    ]
) }}

with sessions as (
    select *
    from {{ source('oltp', 'sessions') }}
    where _sluice_deleted_at is null
      and {{ in_partition('started_at', partition_start, partition_end) }}
),

activities as (
    select *
    from {{ source('oltp', 'activities') }}
    where _sluice_deleted_at is null
      and {{ in_partition('started_at', partition_start, partition_end) }}
),

activity_counts as (
    select
        session_id,
        count(*) as activities_started,
        count(completed_at) as activities_completed
    from activities
    group by session_id
),

response_counts as (
    select
        activities.session_id,
        count(*) as responses,
        count(*) filter (where responses.is_correct) as correct_responses
    from {{ source('oltp', 'responses') }} as responses
    join activities on activities.id = responses.activity_id
    where responses._sluice_deleted_at is null
    group by activities.session_id
)

select
    sessions.id as session_id,
    {{ date_key('sessions.started_at') }} as date_key,
    tenants.tenant_key,
    learners.learner_key,
    subjects.subject_key,
    sessions.started_at,
    sessions.ended_at,
    cast({{ dbt.datediff('sessions.started_at', 'sessions.ended_at', 'second') }} as integer) as duration_seconds,
    cast(coalesce(activity_counts.activities_started, 0) as integer) as activities_started,
    cast(coalesce(activity_counts.activities_completed, 0) as integer) as activities_completed,
    cast(coalesce(response_counts.responses, 0) as integer) as responses,
    cast(coalesce(response_counts.correct_responses, 0) as integer) as correct_responses
from sessions
left join activity_counts on activity_counts.session_id = sessions.id
left join response_counts on response_counts.session_id = sessions.id
left join {{ ref('dim_tenant') }} as tenants
    on tenants.tenant_id = sessions.tenant_id and {{ valid_at('tenants', 'sessions.started_at') }}
left join {{ ref('dim_learner') }} as learners
    on learners.learner_id = sessions.learner_id and {{ valid_at('learners', 'sessions.started_at') }}
left join {{ ref('dim_subject') }} as subjects
    on subjects.subject_id = sessions.subject_id and {{ valid_at('subjects', 'sessions.started_at') }}

-- One row per AI recommendation event of the partition's day (the seed's
-- build_fact_recommendation_events): each recommendation is shown, then perhaps accepted or
-- dismissed, on the same day or a later one, which builds that day again.
{{ config(
    materialized='incremental',
    schema='warehouse',
    tags=['facts'],
    partition_by={'field': 'date_key', 'data_type': 'int'},
    partition_inputs=[
        {'source': 'oltp.ai_recommendations', 'column': 'shown_at'},
        {'source': 'oltp.ai_recommendations', 'column': 'responded_at'},
    ]
) }}

with recommendations as (
    select *
    from {{ source('oltp', 'ai_recommendations') }}
    where _sluice_deleted_at is null
),

events as (
    select id, learner_id, skill_id, kind, 'shown' as event_type, shown_at as occurred_at
    from recommendations
    where {{ in_partition('shown_at', partition_start, partition_end) }}
    union all
    select id, learner_id, skill_id, kind, status as event_type, responded_at as occurred_at
    from recommendations
    where status <> 'shown' and {{ in_partition('responded_at', partition_start, partition_end) }}
)

select
    events.id as recommendation_id,
    events.event_type,
    {{ date_key('events.occurred_at') }} as date_key,
    learners.learner_key,
    tenants.tenant_key,
    skills.skill_key,
    events.kind,
    events.occurred_at
from events
left join {{ ref('dim_learner') }} as learners
    on learners.learner_id = events.learner_id and {{ valid_at('learners', 'events.occurred_at') }}
left join {{ ref('dim_tenant') }} as tenants
    on tenants.tenant_id = learners.tenant_id and {{ valid_at('tenants', 'events.occurred_at') }}
left join {{ ref('dim_skill') }} as skills
    on skills.skill_id = events.skill_id and {{ valid_at('skills', 'events.occurred_at') }}

-- One row per focus event of the partition's day (the seed's build_fact_focus_events): what
-- happened, how long the learner was away, and the learner and tenant versions of its time.
{{ config(
    materialized='incremental',
    schema='warehouse',
    tags=['facts'],
    partition_by={'field': 'date_key', 'data_type': 'int'},
    partition_inputs=[{'source': 'oltp.focus_events', 'column': 'occurred_at'}]
) }}

select
    events.id as focus_event_id,
    {{ date_key('events.occurred_at') }} as date_key,
    events.session_id,
    tenants.tenant_key,
    learners.learner_key,
    events.event_type,
    events.occurred_at,
    events.duration_seconds
from {{ source('oltp', 'focus_events') }} as events
left join {{ ref('dim_learner') }} as learners
    on learners.learner_id = events.learner_id and {{ valid_at('learners', 'events.occurred_at') }}
left join {{ ref('dim_tenant') }} as tenants
    on tenants.tenant_id = learners.tenant_id and {{ valid_at('tenants', 'events.occurred_at') }}
where events._sluice_deleted_at is null
  and {{ in_partition('events.occurred_at', partition_start, partition_end) }}

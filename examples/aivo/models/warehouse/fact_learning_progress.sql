-- The product's nightly mastery snapshot of each skill a learner practised that day (the seed's
-- build_fact_learning_progress): mastery from 0 to 1 and the answers given, with the learner and
-- skill versions of the snapshot's time.
{{ config(
    materialized='incremental',
    schema='warehouse',
    tags=['facts'],
    partition_by={'field': 'date_key', 'data_type': 'int'},
    partition_inputs=[{'source': 'oltp.skill_progress_snapshots', 'column': 'snapshot_date'}]
) }}

select
    {{ date_key('progress.snapshot_date') }} as date_key,
    progress.id as progress_id,
    learners.learner_key,
    tenants.tenant_key,
    skills.skill_key,
    progress.mastery_level,
    progress.attempts
from {{ source('oltp', 'skill_progress_snapshots') }} as progress
left join {{ ref('dim_learner') }} as learners
    on learners.learner_id = progress.learner_id and {{ valid_at('learners', 'progress.created_at') }}
left join {{ ref('dim_tenant') }} as tenants
    on tenants.tenant_id = learners.tenant_id and {{ valid_at('tenants', 'progress.created_at') }}
left join {{ ref('dim_skill') }} as skills
    on skills.skill_id = progress.skill_id and {{ valid_at('skills', 'progress.created_at') }}
where progress._sluice_deleted_at is null
  and progress.snapshot_date >= cast('{{ partition_start }}' as date)
  and progress.snapshot_date < cast('{{ partition_end }}' as date)

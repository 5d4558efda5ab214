-- Learners: moving up a grade, or to another school (tenant_id).
-- Each change starts a version dated by the row's updated_at (the seed's sync_dim_learner, hourly).
{% snapshot snap_learner %}
{{ config(unique_key='learner_id', strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True, tags=['dims', 'hourly']) }}
select id as learner_id, tenant_id, display_name, grade, updated_at
from {{ source('oltp', 'learners') }}
where _sluice_deleted_at is null
{% endsnapshot %}

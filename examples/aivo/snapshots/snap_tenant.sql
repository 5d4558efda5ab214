-- Schools and districts: renamed, or leaving (is_active false).
-- Each change starts a version dated by the row's updated_at (the seed's sync_dim_tenant, hourly).
{% snapshot snap_tenant %}
{{ config(unique_key='tenant_id', strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True, tags=['dims', 'hourly']) }}
select id as tenant_id, name as tenant_name, plan, is_active, updated_at
from {{ source('oltp', 'tenants') }}
where _sluice_deleted_at is null
{% endsnapshot %}

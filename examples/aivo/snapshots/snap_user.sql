-- Teachers and parents: e-mail changes; a deleted account closes its current version.
-- Each change starts a version dated by the row's updated_at (the seed's sync_dim_user, hourly).
{% snapshot snap_user %}
{{ config(unique_key='user_id', strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True, tags=['dims', 'hourly']) }}
select id as user_id, tenant_id, role, display_name, email, updated_at
from {{ source('oltp', 'users') }}
where _sluice_deleted_at is null
{% endsnapshot %}

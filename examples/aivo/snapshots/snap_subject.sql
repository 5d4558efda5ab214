-- Subjects, static configuration: a new version when the name or is_active changes, dated by the
-- row's updated_at; editorial edits of the description move updated_at but start no version.
{% snapshot snap_subject %}
{{ config(unique_key='subject_id', strategy='check', check_cols=['subject_name', 'is_active'], updated_at='updated_at', invalidate_hard_deletes=True, tags=['dims', 'daily']) }}
select id as subject_id, name as subject_name, is_active, updated_at
from {{ source('oltp', 'subjects') }}
where _sluice_deleted_at is null
{% endsnapshot %}

-- Skills from the curriculum: a new version when a skill is renamed, recoded or moves grade band;
-- a retired (deleted) skill closes its current version.
{% snapshot snap_skill %}
{{ config(unique_key='skill_id', strategy='check', check_cols=['subject_id', 'skill_code', 'skill_name', 'grade_band'], updated_at='updated_at', invalidate_hard_deletes=True, tags=['dims', 'daily']) }}
select id as skill_id, subject_id, code as skill_code, name as skill_name, grade_band, updated_at
from {{ source('oltp', 'skills') }}
where _sluice_deleted_at is null
{% endsnapshot %}

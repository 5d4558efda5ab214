-- dim_skill as the seed's warehouse has it (SCD Type 2): the surrogate key skill_key of each
-- version, the business key, the attributes, effective_from, effective_to (NULL while current)
-- and is_current. The versions are kept by the snapshot snap_skill.
{{ config(materialized='view', schema='warehouse', tags=['dims']) }}
select scd_id as skill_key, skill_id, subject_id, skill_code, skill_name, grade_band, effective_from, effective_to, is_current
from {{ ref('snap_skill') }}

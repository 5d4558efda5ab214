-- dim_subject as the seed's warehouse has it (SCD Type 2): the surrogate key subject_key of each
-- version, the business key, the attributes, effective_from, effective_to (NULL while current)
-- and is_current. The versions are kept by the snapshot snap_subject.
{{ config(materialized='view', schema='warehouse', tags=['dims']) }}
select scd_id as subject_key, subject_id, subject_name, is_active, effective_from, effective_to, is_current
from {{ ref('snap_subject') }}

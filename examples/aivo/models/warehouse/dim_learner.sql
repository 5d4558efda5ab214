-- dim_learner as the seed's warehouse has it (SCD Type 2): the surrogate key learner_key of each
-- version, the business key, the attributes, effective_from, effective_to (NULL while current)
-- and is_current. The versions are kept by the snapshot snap_learner.
{{ config(materialized='view', schema='warehouse', tags=['dims']) }}
select scd_id as learner_key, learner_id, tenant_id, display_name, grade, effective_from, effective_to, is_current
from {{ ref('snap_learner') }}

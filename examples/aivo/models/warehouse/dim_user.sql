-- dim_user as the seed's warehouse has it (SCD Type 2): the surrogate key user_key of each
-- version, the business key, the attributes, effective_from, effective_to (NULL while current)
-- and is_current. The versions are kept by the snapshot snap_user.
{{ config(materialized='view', schema='warehouse', tags=['dims']) }}
select scd_id as user_key, user_id, tenant_id, role, display_name, email, effective_from, effective_to, is_current
from {{ ref('snap_user') }}

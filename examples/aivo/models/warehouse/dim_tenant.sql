-- dim_tenant as the seed's warehouse has it (SCD Type 2): the surrogate key tenant_key of each
-- version, the business key, the attributes, effective_from, effective_to (NULL while current)
-- and is_current. The versions are kept by the snapshot snap_tenant.
{{ config(materialized='view', schema='warehouse', tags=['dims']) }}
select scd_id as tenant_key, tenant_id, tenant_name, plan, is_active, effective_from, effective_to, is_current
from {{ ref('snap_tenant') }}

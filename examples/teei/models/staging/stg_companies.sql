-- The companies (the platform's tenants) as synced: what benchmarks group them by.
{{ config(materialized='view', schema='staging') }}

select
    id as company_id,
    name as company_name,
    industry,
    region,
    employee_size,
    created_at,
    updated_at
from {{ source('platform', 'companies') }}
where _sluice_deleted_at is null

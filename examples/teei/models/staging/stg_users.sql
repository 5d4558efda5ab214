-- The companies' users as synced.
{{ config(materialized='view', schema='staging') }}

select
    id as user_id,
    company_id,
    created_at,
    updated_at
from {{ source('platform', 'users') }}
where _sluice_deleted_at is null

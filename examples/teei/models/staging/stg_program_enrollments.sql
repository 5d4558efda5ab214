-- Program enrollments as synced: a row per user and program with the time of each step reached.
{{ config(materialized='view', schema='staging') }}

select
    id as enrollment_id,
    company_id,
    user_id,
    program,
    status,
    enrolled_at,
    matched_at,
    completed_at,
    updated_at
from {{ source('platform', 'program_enrollments') }}
where _sluice_deleted_at is null

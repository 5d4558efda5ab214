-- Applications with the day they were made and where they stand. Rows without created_at (an
-- old import) cannot be placed in time and are left out, as are deleted ones.
{{ config(materialized='view', schema='staging') }}

select
    id,
    company,
    role,
    source,
    created_at,
    status,
    cast(created_at as date) as application_date,
    cast(extract(year from created_at) as integer) as application_year,
    cast(extract(month from created_at) as integer) as application_month,
    cast(extract(week from created_at) as integer) as application_week,
    case
        when status in ('accepted', 'offer') then 'success'
        when status in ('rejected', 'closed') then 'closed'
        when status in ('interviewing', 'phone_screen') then 'active'
        when status in ('applied', 'submitted') then 'pending'
        else 'other'
    end as status_category,
    updated_at
from {{ source('app', 'applications') }}
where created_at is not null
  and _sluice_deleted_at is null

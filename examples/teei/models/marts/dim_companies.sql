-- The seed's companies_ch: each company's current industry, region and size band, which the
-- benchmarks' peer groups read (metrics.yml). A company that grows into the next band moves to
-- that band's peers.
{{ config(materialized='table', schema='marts') }}

select
    company_id,
    company_name,
    industry,
    region,
    employee_size as size_band,
    created_at,
    updated_at
from {{ ref('stg_companies') }}

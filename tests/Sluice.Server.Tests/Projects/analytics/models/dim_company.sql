{{ config(materialized='table') }}
select company_id, industry, region, size_band
from {{ source('app', 'companies') }}

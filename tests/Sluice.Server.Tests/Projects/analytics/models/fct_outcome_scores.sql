{{ config(materialized='table') }}
select id, company_id, program, dimension, created_at, score, note
from {{ source('app', 'scores') }}

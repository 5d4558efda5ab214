{{ config(materialized='table') }}
select upper(code) as country_code, name as country_name, population
from {{ ref('country_codes') }}

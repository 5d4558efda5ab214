{{ config(materialized='table') }}
select account, tenant, industry
from {{ source('shop', 'accounts') }}

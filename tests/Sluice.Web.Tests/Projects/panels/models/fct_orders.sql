{{ config(materialized='table') }}
select id, tenant, account, ordered_at, region, plan, amount, note
from {{ source('shop', 'orders') }}

{{ config(materialized='table') }}
select user_id, tenant, event_name, occurred_at, channel
from {{ source('shop', 'events') }}

{{ config(materialized='table') }}
select user_id, company_id, event_name, occurred_at, channel
from {{ source('app', 'events') }}

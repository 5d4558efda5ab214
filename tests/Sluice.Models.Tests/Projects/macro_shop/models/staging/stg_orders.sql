{{ config(materialized='table') }}

select
    {{ dbt_utils.generate_surrogate_key(['id', 'customer_id']) }} as order_key,
    id as order_id,
    customer_id,
    amount_cents,
    {{ cents_to_dollars('amount_cents') }} as amount,
    status,
    cast(ordered_at as timestamp) as ordered_at,
    cast({{ dbt.date_trunc('day', 'cast(ordered_at as timestamp)') }} as date) as order_day,
    case when {{ in_list('status', statuses()['open']) }} then 'open'
         when {{ in_list('status', statuses().closed) }} then 'closed'
         else 'other' end as state
from {{ ref('orders') }}

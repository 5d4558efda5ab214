{#- Orders with a known status; amounts below min_amount are left out. -#}
select
    id as order_id,
    customer_id,
    amount,
    status,
    order_date,
    updated_at
from {{ source('shop_raw', 'orders') }}
where amount >= {{ var('min_amount') }}
  and status in ({% for s in var('statuses') %}'{{ s }}'{% if not loop.last %}, {% endif %}{% endfor %})

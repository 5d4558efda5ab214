{#- Orders that count as sales. -#}
select id as order_id, customer_id, amount, status, order_date, updated_at
from {{ ref('orders') }}
where status in ('paid', 'shipped')

{{ config(order_by='customer_id', low_cardinality=['country']) }}
select c.id as customer_id, c.name as name, c.country as country, o.orders as orders, o.revenue as revenue
from {{ ref('customers') }} as c
all inner join (
    select customer_id, count() as orders, sum(amount) as revenue
    from {{ ref('stg_orders') }}
    group by customer_id
) as o on o.customer_id = c.id

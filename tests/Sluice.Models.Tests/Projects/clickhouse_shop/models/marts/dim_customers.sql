{{ config(order_by='customer_id', low_cardinality=['country']) }}
-- The left side of the join is a subquery: on a ClickHouse 18.16 cluster a Distributed table
-- on the left of a JOIN loses its alias on the way to the shards (Unknown identifier: c.id).
select c.id as customer_id, c.name as name, c.country as country, o.orders as orders, o.revenue as revenue
from (select * from {{ ref('customers') }}) as c
all inner join (
    select customer_id, count() as orders, sum(amount) as revenue
    from {{ ref('stg_orders') }}
    group by customer_id
) as o on o.customer_id = c.id

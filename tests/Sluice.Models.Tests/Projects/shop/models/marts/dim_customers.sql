{{ config(order_by='customer_id', low_cardinality=['country_code'], post_hook=["insert into " ~ this.schema ~ ".hook_log (model) values ('" ~ this.name ~ "')"]) }}
with customers as (
    select * from {{ ref('stg_customers') }}
)
select
    c.customer_id,
    c.customer_name,
    c.country_code,
    count(o.order_id) as orders,
    coalesce(sum(o.amount), 0) as revenue
from customers as c
left join {{ ref('int_paid_orders') }} as o on o.customer_id = c.customer_id
group by c.customer_id, c.customer_name, c.country_code

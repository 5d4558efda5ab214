{{ config(materialized='incremental', partition_by='order_date', grain='day', order_by=['order_date']) }}
select order_date, count(*) as orders, sum(amount) as revenue
from {{ ref('int_paid_orders') }}
where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'
group by order_date

{{ config(materialized='incremental', partition_by='order_date', grain='day') }}
select order_date, count() as orders, sum(amount) as revenue
from {{ ref('stg_orders') }}
where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'
group by order_date

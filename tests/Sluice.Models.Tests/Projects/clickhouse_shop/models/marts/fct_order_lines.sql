{{ config(materialized='incremental', partition_by='order_date', grain='day', order_by=['customer_id', 'order_id'], low_cardinality=['status']) }}
select order_id, customer_id, status, amount, order_date
from {{ ref('stg_orders') }}
where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'

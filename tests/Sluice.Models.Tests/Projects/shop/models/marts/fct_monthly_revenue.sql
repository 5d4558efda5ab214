{{ config(materialized='incremental', partition_by={'field': 'month_start', 'granularity': 'month'}) }}
select cast(date_trunc('month', order_date) as date) as month_start, count(*) as orders, sum(amount) as revenue
from {{ ref('stg_orders') }}
where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'
group by 1

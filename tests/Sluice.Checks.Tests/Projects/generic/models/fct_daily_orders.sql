{{ config(materialized='incremental', partition_by='ordered_at') }}
select order_id, customer_id, amount, status, cast(ordered_at as date) as ordered_at
from {{ ref('orders') }}
where cast(ordered_at as date) >= '{{ partition_start }}' and cast(ordered_at as date) < '{{ partition_end }}'

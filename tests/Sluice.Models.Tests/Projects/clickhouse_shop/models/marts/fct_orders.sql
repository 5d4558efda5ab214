{{ config(materialized='incremental', unique_key='order_id', incremental_strategy='merge', order_by='order_id', low_cardinality=['status']) }}
select order_id, customer_id, amount, status, order_date, updated_at
from {{ ref('stg_orders') }}
{% if is_incremental() %}
where updated_at > (select max(updated_at) from {{ this }})
{% endif %}

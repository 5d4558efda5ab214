{{ config(materialized='incremental', unique_key='order_id', on_schema_change='fail') }}
select order_id, amount
{%- if var('with_channel', false) %}, 'web' as channel{% endif %}
from {{ ref('stg_orders') }}

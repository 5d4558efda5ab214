{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy='merge',
        on_schema_change='append_new_columns'
    )
}}
select order_id, customer_id, amount, status, order_date, updated_at
{%- if var('with_channel', false) %}, 'web' as channel{% endif %}
from {{ ref('stg_orders') }}
{% if is_incremental() %}
where updated_at > (select max(updated_at) from {{ this }})
{% endif %}

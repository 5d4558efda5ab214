{%- set status_values = dbt_utils.get_column_values(ref('stg_orders'), 'status', order_by='status') -%}
with orders as (
    select * from {{ ref('stg_orders') }}
)
select
    {{ dbt_utils.star(ref('stg_customers'), relation_alias='c', except=['email', 'initials']) }},
    count(o.order_id) as order_count,
    {{ dbt_utils.safe_add(['sum(o.amount_cents)', '0']) }} as total_cents,
    {{ dbt_utils.safe_divide('sum(o.amount_cents)', 'count(o.order_id)') }} as avg_cents,
    {{ dbt_utils.pivot('o.status', status_values, prefix='n_') }}
from {{ ref('stg_customers') }} c
left join orders o on o.customer_id = c.customer_id
{{ dbt_utils.group_by(5) }}

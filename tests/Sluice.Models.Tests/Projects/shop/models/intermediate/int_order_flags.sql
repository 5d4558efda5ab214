select
    order_id,
    customer_id,
    order_date,
    amount,
    {%- for status in var('statuses') %}
    case when status = '{{ status }}' then 1 else 0 end as is_{{ status }}{{ "," if not loop.last }}
    {%- endfor %}
from {{ ref('stg_orders') }}

{{ config(materialized='view') }}
{%- set labels = {'paid': 'Paid', 'shipped': 'Shipped', 'refunded': 'Refunded'} %}
select
{%- for key, label in labels.items() %}
    sum(is_{{ key }}) as {{ label | lower }}_orders{% if not loop.last %},{% endif %}
{%- endfor %}
from {{ ref('int_order_flags') }}

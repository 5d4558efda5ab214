{{ config(alias='top_customers') }}
{%- set tiers = [50, 20] %}
select
    customer_id,
    revenue,
    case
    {%- for floor in tiers %}
        when revenue >= {{ floor }} then 'tier_{{ loop.index }}'
    {%- endfor %}
        else 'tier_{{ tiers | length + 1 }}'
    end as tier
from {{ ref('shop', 'dim_customers') }}
{% if var('top_n', 3) > 10 -%}
order by revenue desc, customer_id
{%- elif var('top_n', 3) > 0 -%}
order by revenue desc, customer_id limit {{ var('top_n', 3) }}
{%- else -%}
where false
{%- endif %}

{% set label = '  Revenue by country  ' | trim | replace('by', 'per') %}
select
    d.country_code,
    cc.country_name,
    '{{ label }}' as label,
    '{{ var("currency") }}' as currency,
    '{{ var("region", none) | default("all", true) }}' as region,
    sum(d.revenue) as revenue
from {{ ref('dim_customers') }} as d
join {{ ref('stg_country_codes') }} as cc on cc.country_code = d.country_code
group by d.country_code, cc.country_name

{% call with_comment('one row per day of January 1-7, 2025') %}
with days as (
    {{ dbt_utils.date_spine('day', "cast('2025-01-01' as date)", "cast('2025-01-08' as date)") }}
)
{% endcall %}
select
    cast(d.date_day as date) as day,
    count(o.order_id) as orders,
    coalesce(sum(o.amount_cents), 0) as amount_cents,
    {{ audit_columns() }}
from days d
left join {{ ref('stg_orders') }} o on o.order_day = cast(d.date_day as date)
group by 1

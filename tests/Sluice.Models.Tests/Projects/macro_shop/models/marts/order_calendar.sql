with days as (
    {{ dbt_date.get_base_dates(start_date="2025-01-01", end_date="2025-01-08", datepart="day") }}
)
select
    cast(d.date_day as date) as day,
    {{ dbt_date.day_of_week('d.date_day', isoweek=true) }} as iso_day_of_week,
    {{ dbt_date.day_name('d.date_day', short=false) }} as day_name,
    count(o.order_id) as orders
from days d
left join {{ ref('stg_orders') }} o on o.order_day = cast(d.date_day as date)
group by 1, 2, 3

select
    date_day,
    {{ dbt_date.n_days_ago(3, 'date_day') }} as three_days_before,
    {{ dbt_date.n_days_away(10, date='date_day') }} as ten_days_after,
    {{ dbt_date.yesterday('date_day') }} as day_before,
    {{ dbt_date.tomorrow(date='date_day') }} as day_after,
    {{ dbt_date.date_part('dayofweek', 'date_day') }} as dow,
    {{ dbt_date.date_part('dayofyear', 'date_day') }} as doy,
    {{ dbt_date.day_of_week('date_day') }} as iso_dow
from {{ ref('dim_date') }}

select
    id,
    {{ dbt_date.convert_timezone('utc_at', 'America/New_York') }} as new_york,
    {{ dbt_date.convert_timezone('utc_at', 'Asia/Kathmandu', 'UTC') }} as kathmandu,
    {{ dbt_date.convert_timezone('utc_at', source_tz='Europe/Berlin') }} as berlin_wall_clock_in_default_zone,
    {{ dbt_date.convert_timezone('utc_at') }} as default_zone,
    {{ dbt_date.from_unixtimestamp('epoch_seconds') }} as from_seconds,
    {{ dbt_date.from_unixtimestamp('epoch_seconds * 1000 + 250', format='milliseconds') }} as from_milliseconds,
    {{ dbt_date.from_unixtimestamp('epoch_seconds * 1000000 + 7', format='microseconds') }} as from_microseconds,
    {{ dbt_date.from_unixtimestamp('epoch_seconds * 1000000000 + 7000', format='nanoseconds') }} as from_nanoseconds,
    {{ dbt_date.to_unixtimestamp('utc_at') }} as unix_seconds,
    {{ dbt_date.round_timestamp('utc_at') }} as nearest_midnight,
    {{ dbt_date.periods_since('utc_at', tz='UTC') }} as days_since,
    {{ dbt_date.periods_since('utc_at', 'month', 'UTC') }} as months_since
from {{ ref('instants') }}

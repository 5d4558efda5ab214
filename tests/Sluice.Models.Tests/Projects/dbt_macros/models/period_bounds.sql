{%- set truncated = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'] -%}
select
    id,
    {%- for part in truncated %}
    cast({{ dbt.date_trunc(part, 'happened_at') }} as {{ dbt.type_timestamp() }}) as {{ part }}_start,
    {%- endfor %}
    {%- for part in ['week', 'month', 'quarter', 'year'] %}
    {{ dbt.last_day('happened_at', part) }} as {{ part }}_last_day,
    {%- endfor %}
    {{ dbt.last_day('cast(happened_at as date)', 'month') }} as month_last_day_of_date
from {{ ref('moments') }}

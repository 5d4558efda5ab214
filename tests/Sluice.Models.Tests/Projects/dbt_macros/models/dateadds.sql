{%- set parts = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond', 'microsecond'] -%}
select
    id,
    {%- for part in parts %}
    {{ dbt.dateadd(part, 'n', 'happened_at') }} as plus_{{ part }}s,
    {%- endfor %}
    {{ dbt.dateadd('month', -1, 'happened_at') }} as month_before,
    {{ dbt.dateadd('day', '2 * n', 'cast(happened_at as date)') }} as from_date
from {{ ref('moments') }}

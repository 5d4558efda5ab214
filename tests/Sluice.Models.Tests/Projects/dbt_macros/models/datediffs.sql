{%- set parts = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond', 'microsecond'] -%}
select
    id,
    {%- for part in parts %}
    {{ dbt.datediff('first_at', 'second_at', part) }} as {{ part }}s{{ ',' if not loop.last }}
    {%- endfor %}
from {{ ref('timestamp_pairs') }}

{#- dbt's cross-database date arithmetic. A datepart is one of year, quarter, month, week, day,
    hour, minute, second, millisecond, microsecond. -#}

{% macro date_trunc(datepart, date) %}{{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}{% endmacro %}
{% macro default__date_trunc(datepart, date) %}date_trunc('{{ datepart }}', {{ date }}){% endmacro %}

{#- A timestamp: from_date_or_timestamp moved by interval dateparts (negative moves back). -#}
{% macro dateadd(datepart, interval, from_date_or_timestamp) %}{{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}{% endmacro %}
{#- PostgreSQL's interval input has no quarters, so a quarter is written as three months. -#}
{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
{%- set unit = datepart | lower -%}
({{ from_date_or_timestamp }} + (interval '{{ '3 month' if unit == 'quarter' else '1 ' ~ unit }}') * ({{ interval }}))
{%- endmacro %}
{#- DuckDB multiplies an interval by whole numbers only. -#}
{% macro duckdb__dateadd(datepart, interval, from_date_or_timestamp) -%}
({{ from_date_or_timestamp }} + cast(({{ interval }}) as bigint) * interval '1 {{ datepart | lower }}')
{%- endmacro %}

{#- How many datepart boundaries lie between the two, as dbt counts them: from 23:59 to 00:01 the
    next day is one day; weeks begin on Sunday. Negative when second_date is earlier. -#}
{% macro datediff(first_date, second_date, datepart) %}{{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}{% endmacro %}
{% macro default__datediff(first_date, second_date, datepart) -%}
{%- set unit = datepart | lower -%}
{%- set a = 'cast(' ~ first_date ~ ' as timestamp)' -%}
{%- set b = 'cast(' ~ second_date ~ ' as timestamp)' -%}
{%- set smaller = {'hour': ('day', 24), 'minute': ('hour', 60), 'second': ('minute', 60), 'millisecond': ('minute', 60000), 'microsecond': ('minute', 60000000)} -%}
{%- if unit == 'year' -%}
cast(date_part('year', {{ b }}) - date_part('year', {{ a }}) as bigint)
{%- elif unit == 'quarter' -%}
({{ datediff(first_date, second_date, 'year') }} * 4 + cast(date_part('quarter', {{ b }}) - date_part('quarter', {{ a }}) as bigint))
{%- elif unit == 'month' -%}
({{ datediff(first_date, second_date, 'year') }} * 12 + cast(date_part('month', {{ b }}) - date_part('month', {{ a }}) as bigint))
{%- elif unit == 'week' -%}
{#- Sunday-based weeks: the Monday-based week of the day after. -#}
cast((cast(date_trunc('week', {{ b }} + interval '1 day') as date) - cast(date_trunc('week', {{ a }} + interval '1 day') as date)) / 7 as bigint)
{%- elif unit == 'day' -%}
cast(cast({{ b }} as date) - cast({{ a }} as date) as bigint)
{%- elif unit in smaller -%}
{#- Whole units of the larger part, then the difference of this part's floor within it
    (PostgreSQL's second, millisecond and microsecond parts count from the minute). -#}
{%- set larger, factor = smaller[unit] -%}
({{ datediff(first_date, second_date, larger) }} * {{ factor }} + cast(floor(date_part('{{ unit }}', {{ b }})) - floor(date_part('{{ unit }}', {{ a }})) as bigint))
{%- else -%}
{{ exceptions.raise_compiler_error("datediff: unsupported datepart '" ~ datepart ~ "'; use year, quarter, month, week, day, hour, minute, second, millisecond or microsecond") }}
{%- endif -%}
{%- endmacro %}
{#- DuckDB's date_diff counts boundaries too, except that its weeks are whole seven-day spans. -#}
{% macro duckdb__datediff(first_date, second_date, datepart) -%}
{%- if datepart | lower == 'week' -%}
(date_diff('day', date_trunc('week', cast({{ first_date }} as timestamp) + interval '1 day'), date_trunc('week', cast({{ second_date }} as timestamp) + interval '1 day')) // 7)
{%- else -%}
date_diff('{{ datepart | lower }}', cast({{ first_date }} as timestamp), cast({{ second_date }} as timestamp))
{%- endif -%}
{%- endmacro %}

{#- The last day (a date) of the datepart period holding date. -#}
{% macro last_day(date, datepart) %}{{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}{% endmacro %}
{% macro default__last_day(date, datepart) %}cast({{ dateadd('day', '-1', dateadd(datepart, '1', date_trunc(datepart, date))) }} as date){% endmacro %}

{#- A date from its parts, which may be numbers or expressions. -#}
{% macro date(year, month, day) %}{{ return(adapter.dispatch('date', 'dbt')(year, month, day)) }}{% endmacro %}
{% macro default__date(year, month, day) %}make_date({{ year }}, {{ month }}, {{ day }}){% endmacro %}

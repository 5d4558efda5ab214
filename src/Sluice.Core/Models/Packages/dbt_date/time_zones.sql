{#- dbt_date's clock and time zones. Times without a zone are wall-clock times; the zone of
    "today" is the tz argument, else the project's var dbt_date:time_zone, else
    America/Los_Angeles, the default dbt_date documents. -#}

{% macro _time_zone(tz=none) %}{{ return(tz if tz else var('dbt_date:time_zone', 'America/Los_Angeles')) }}{% endmacro %}

{#- column (a wall-clock time in source_tz, UTC by default) as the wall-clock time in target_tz. -#}
{% macro convert_timezone(column, target_tz=none, source_tz=none) -%}
{{ return(adapter.dispatch('convert_timezone', 'dbt_date')(column, _time_zone(target_tz), source_tz if source_tz else 'UTC')) }}
{%- endmacro %}
{% macro default__convert_timezone(column, target_tz, source_tz) -%}
cast(cast({{ column }} as {{ dbt.type_timestamp() }}) at time zone '{{ source_tz }}' at time zone '{{ target_tz }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The current wall-clock time in the zone. Read from the current instant directly rather than
    through the session's zone, which need not be UTC. -#}
{% macro now(tz=none) %}{{ return(adapter.dispatch('now', 'dbt_date')(tz)) }}{% endmacro %}
{% macro default__now(tz) -%}
cast({{ dbt.current_timestamp() }} at time zone '{{ _time_zone(tz) }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro today(tz=none) %}{{ return(adapter.dispatch('today', 'dbt_date')(tz)) }}{% endmacro %}
{% macro default__today(tz) %}cast({{ now(tz) }} as date){% endmacro %}

{#- A timestamp from seconds since 1970-01-01 UTC, or milliseconds, microseconds or nanoseconds
    as format says; the result is UTC's wall-clock time. -#}
{% macro from_unixtimestamp(epochs, format='seconds') -%}
{%- if format not in ['seconds', 'milliseconds', 'microseconds', 'nanoseconds'] -%}
{{ exceptions.raise_compiler_error("from_unixtimestamp: format '" ~ format ~ "' is not supported; use seconds, milliseconds, microseconds or nanoseconds") }}
{%- endif -%}
{{ return(adapter.dispatch('from_unixtimestamp', 'dbt_date')(epochs, format)) }}
{%- endmacro %}
{#- Counting from the epoch as a plain timestamp keeps time zones out of it. -#}
{% macro default__from_unixtimestamp(epochs, format) -%}
{%- if format == 'nanoseconds' -%}
(cast('1970-01-01' as {{ dbt.type_timestamp() }}) + (({{ epochs }}) / 1000) * interval '1 microsecond')
{%- else -%}
(cast('1970-01-01' as {{ dbt.type_timestamp() }}) + ({{ epochs }}) * interval '1 {{ format[:-1] }}')
{%- endif -%}
{%- endmacro %}
{#- DuckDB multiplies intervals by whole numbers only; make_timestamp takes microseconds. -#}
{% macro duckdb__from_unixtimestamp(epochs, format) -%}
{%- set to_micros = {'seconds': ' * 1000000', 'milliseconds': ' * 1000', 'microseconds': '', 'nanoseconds': ' // 1000'}[format] -%}
make_timestamp(cast(round(({{ epochs }}){{ to_micros }}) as bigint))
{%- endmacro %}

{#- Seconds since 1970-01-01 UTC; a timestamp without a zone is read as UTC. -#}
{% macro to_unixtimestamp(timestamp) %}{{ return(adapter.dispatch('to_unixtimestamp', 'dbt_date')(timestamp)) }}{% endmacro %}
{% macro default__to_unixtimestamp(timestamp) %}date_part('epoch', {{ timestamp }}){% endmacro %}

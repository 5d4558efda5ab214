{#- dbt_date's parts of a date (a date or timestamp expression). Names are English. -#}

{#- The engine's date_part; PostgreSQL also takes DuckDB's and dbt_date's longer names. -#}
{% macro date_part(datepart, date) %}{{ return(adapter.dispatch('date_part', 'dbt_date')(datepart, date)) }}{% endmacro %}
{% macro default__date_part(datepart, date) %}date_part('{{ datepart }}', {{ date }}){% endmacro %}
{% macro postgres__date_part(datepart, date) -%}
{%- set aliases = {'dayofweek': 'dow', 'dayofyear': 'doy', 'isodayofweek': 'isodow', 'weekofyear': 'week'} -%}
date_part('{{ aliases.get(datepart | lower, datepart) }}', {{ date }})
{%- endmacro %}

{#- 1 to 7: Monday to Sunday with isoweek, else Sunday to Saturday. -#}
{% macro day_of_week(date, isoweek=true) %}{{ return(adapter.dispatch('day_of_week', 'dbt_date')(date, isoweek)) }}{% endmacro %}
{% macro default__day_of_week(date, isoweek) -%}
{%- if isoweek -%}
cast(date_part('isodow', {{ date }}) as {{ dbt.type_int() }})
{%- else -%}
cast(date_part('dow', {{ date }}) + 1 as {{ dbt.type_int() }})
{%- endif -%}
{%- endmacro %}

{% macro _english_only(macro_name, language) -%}
{%- if language != 'default' -%}
{{ exceptions.raise_compiler_error(macro_name ~ ": Sluice's dbt_date names days and months in English only; leave language out instead of '" ~ language ~ "'") }}
{%- endif -%}
{%- endmacro %}

{#- Monday, or Mon when short. -#}
{% macro day_name(date, short=true, language='default') -%}
{{- _english_only('day_name', language) -}}
{{ return(adapter.dispatch('day_name', 'dbt_date')(date, short)) }}
{%- endmacro %}
{#- FM: no padding to the longest name. -#}
{% macro default__day_name(date, short) %}to_char({{ date }}, '{{ 'FMDy' if short else 'FMDay' }}'){% endmacro %}
{% macro duckdb__day_name(date, short) %}strftime({{ date }}, '{{ '%a' if short else '%A' }}'){% endmacro %}

{#- January, or Jan when short. -#}
{% macro month_name(date, short=true, tz=none, language='default') -%}
{{- _english_only('month_name', language) -}}
{{ return(adapter.dispatch('month_name', 'dbt_date')(date, short)) }}
{%- endmacro %}
{% macro default__month_name(date, short) %}to_char({{ date }}, '{{ 'FMMon' if short else 'FMMonth' }}'){% endmacro %}
{% macro duckdb__month_name(date, short) %}strftime({{ date }}, '{{ '%b' if short else '%B' }}'){% endmacro %}

{% macro day_of_month(date) %}{{ return(adapter.dispatch('day_of_month', 'dbt_date')(date)) }}{% endmacro %}
{% macro default__day_of_month(date) %}cast(date_part('day', {{ date }}) as {{ dbt.type_int() }}){% endmacro %}

{% macro day_of_year(date) %}{{ return(adapter.dispatch('day_of_year', 'dbt_date')(date)) }}{% endmacro %}
{% macro default__day_of_year(date) %}cast(date_part('doy', {{ date }}) as {{ dbt.type_int() }}){% endmacro %}

{#- Week 1 is January 1st to 7th, week 2 the next seven days, and so on, as dbt_date counts on
    PostgreSQL (to_char's WW) and DuckDB. The date defaults to today. -#}
{% macro week_of_year(date=none, tz=none) %}{{ return(adapter.dispatch('week_of_year', 'dbt_date')(date if date else today(tz))) }}{% endmacro %}
{% macro default__week_of_year(date) %}cast(floor((date_part('doy', {{ date }}) - 1) / 7.0) + 1 as {{ dbt.type_int() }}){% endmacro %}

{#- The ISO 8601 week, 1 to 53; weeks begin on Monday and week 1 holds January 4th. -#}
{% macro iso_week_of_year(date=none, tz=none) %}{{ return(adapter.dispatch('iso_week_of_year', 'dbt_date')(date if date else today(tz))) }}{% endmacro %}
{% macro default__iso_week_of_year(date) %}cast(date_part('week', {{ date }}) as {{ dbt.type_int() }}){% endmacro %}

{#- The ISO week with its own year, such as 2025-W01 for 2024-12-30. -#}
{% macro iso_year_week(date) %}{{ return(adapter.dispatch('iso_year_week', 'dbt_date')(date)) }}{% endmacro %}
{% macro default__iso_year_week(date) %}to_char({{ date }}, 'IYYY-"W"IW'){% endmacro %}
{% macro duckdb__iso_year_week(date) %}strftime({{ date }}, '%G-W%V'){% endmacro %}

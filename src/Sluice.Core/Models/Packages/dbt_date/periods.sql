{#- Days, weeks and months relative to today in the time zone (see time_zones.sql), or to a date
    where the macro takes one. Days are dates; weeks and months are the timestamps of their first
    day, weeks beginning as the engine's date_trunc('week') begins them (Monday). -#}

{% macro n_days_ago(n, date=none, tz=none) -%}
cast({{ dbt.dateadd('day', -1 * (n | int), date if date else today(tz)) }} as date)
{%- endmacro %}

{% macro n_days_away(n, date=none, tz=none) %}{{ n_days_ago(-1 * (n | int), date, tz) }}{% endmacro %}

{% macro yesterday(date=none, tz=none) %}{{ n_days_ago(1, date, tz) }}{% endmacro %}

{% macro tomorrow(date=none, tz=none) %}{{ n_days_away(1, date, tz) }}{% endmacro %}

{% macro n_weeks_ago(n, tz=none) -%}
{{ dbt.date_trunc('week', dbt.dateadd('week', -1 * (n | int), today(tz))) }}
{%- endmacro %}

{% macro n_weeks_away(n, tz=none) %}{{ n_weeks_ago(-1 * (n | int), tz) }}{% endmacro %}

{% macro last_week(tz=none) %}{{ n_weeks_ago(1, tz) }}{% endmacro %}

{% macro next_week(tz=none) %}{{ n_weeks_away(1, tz) }}{% endmacro %}

{% macro n_months_ago(n, tz=none) -%}
{{ dbt.date_trunc('month', dbt.dateadd('month', -1 * (n | int), today(tz))) }}
{%- endmacro %}

{% macro n_months_away(n, tz=none) %}{{ n_months_ago(-1 * (n | int), tz) }}{% endmacro %}

{% macro last_month(tz=none) %}{{ n_months_ago(1, tz) }}{% endmacro %}

{% macro next_month(tz=none) %}{{ n_months_away(1, tz) }}{% endmacro %}

{% macro last_month_number(tz=none) %}cast({{ date_part('month', last_month(tz)) }} as {{ dbt.type_int() }}){% endmacro %}

{% macro next_month_number(tz=none) %}cast({{ date_part('month', next_month(tz)) }} as {{ dbt.type_int() }}){% endmacro %}

{% macro last_month_name(short=true, tz=none) %}{{ month_name(last_month(tz), short) }}{% endmacro %}

{% macro next_month_name(short=true, tz=none) %}{{ month_name(next_month(tz), short) }}{% endmacro %}

{#- Whole period_name boundaries from date_col to now (dbt's datediff). -#}
{% macro periods_since(date_col, period_name='day', tz=none) %}{{ dbt.datediff(date_col, now(tz), period_name) }}{% endmacro %}

{#- The nearest midnight, a timestamp: noon rounds up. -#}
{% macro round_timestamp(timestamp) %}{{ dbt.date_trunc('day', dbt.dateadd('hour', 12, timestamp)) }}{% endmacro %}

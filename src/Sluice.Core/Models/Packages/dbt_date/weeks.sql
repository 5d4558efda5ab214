{#- First and last days of weeks, as dates: weeks begin on Sunday, ISO weeks on Monday. The date
    defaults to today. -#}

{#- The Monday-based week of the day after, moved back a day. -#}
{% macro week_start(date=none, tz=none) %}{{ return(adapter.dispatch('week_start', 'dbt_date')(date if date else today(tz))) }}{% endmacro %}
{% macro default__week_start(date) -%}
cast({{ dbt.dateadd('day', -1, dbt.date_trunc('week', dbt.dateadd('day', 1, date))) }} as date)
{%- endmacro %}

{% macro week_end(date=none, tz=none) %}{{ return(adapter.dispatch('week_end', 'dbt_date')(date if date else today(tz))) }}{% endmacro %}
{% macro default__week_end(date) %}{{ n_days_away(6, week_start(date)) }}{% endmacro %}

{% macro iso_week_start(date=none, tz=none) %}{{ return(adapter.dispatch('iso_week_start', 'dbt_date')(date if date else today(tz))) }}{% endmacro %}
{% macro default__iso_week_start(date) %}cast({{ dbt.date_trunc('week', date) }} as date){% endmacro %}

{% macro iso_week_end(date=none, tz=none) %}{{ return(adapter.dispatch('iso_week_end', 'dbt_date')(date if date else today(tz))) }}{% endmacro %}
{% macro default__iso_week_end(date) %}{{ n_days_away(6, iso_week_start(date)) }}{% endmacro %}

{#- dbt_date's date spine and date dimension. -#}

{#- Periods of datepart from start_date while before end_date: start_date plus 0, 1, ... parts,
    as many as dbt.datediff counts between them. Both engines' generate_series take expressions. -#}
{% macro date_spine(datepart, start_date, end_date) %}{{ return(adapter.dispatch('date_spine', 'dbt_date')(datepart, start_date, end_date)) }}{% endmacro %}
{% macro default__date_spine(datepart, start_date, end_date) -%}
select {{ dbt.dateadd(datepart, 'spine.n', start_date) }} as date_{{ datepart }}
from generate_series(0, {{ dbt.datediff(start_date, end_date, datepart) }} - 1) as spine(n)
{%- endmacro %}

{#- A query of one timestamp column, date_<datepart>: from start_date up to, not including,
    end_date (both 'YYYY-MM-DD' texts), or the last n_dateparts periods before today and today's. -#}
{% macro get_base_dates(start_date=none, end_date=none, n_dateparts=none, datepart='day') -%}
{{ return(adapter.dispatch('get_base_dates', 'dbt_date')(start_date, end_date, n_dateparts, datepart)) }}
{%- endmacro %}
{% macro default__get_base_dates(start_date, end_date, n_dateparts, datepart) -%}
{%- if start_date and end_date -%}
{%- set spine_start = "cast('" ~ start_date ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
{%- set spine_end = "cast('" ~ end_date ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
{%- elif n_dateparts and datepart -%}
{%- set spine_start = dbt.dateadd(datepart, -1 * n_dateparts, today()) -%}
{%- set spine_end = tomorrow() -%}
{%- else -%}
{{ exceptions.raise_compiler_error("get_base_dates needs start_date and end_date, as get_base_dates('2024-01-01', '2025-01-01'), or n_dateparts, as get_base_dates(n_dateparts=30, datepart='day')") }}
{%- endif -%}
select cast(spine.date_{{ datepart }} as {{ dbt.type_timestamp() }}) as date_{{ datepart }}
from ({{ date_spine(datepart, spine_start, spine_end) }}) as spine
{%- endmacro %}

{#- One row per day from start_date up to, not including, end_date, with the calendar's columns:
    the day before and after, the same day a year and 364 days (52 weeks) earlier, days of the
    week, month and year, weeks (Sunday and ISO), months, quarters and years with their bounds. -#}
{% macro get_date_dimension(start_date, end_date) %}{{ return(adapter.dispatch('get_date_dimension', 'dbt_date')(start_date, end_date)) }}{% endmacro %}
{% macro default__get_date_dimension(start_date, end_date) -%}
with base_dates as (
    {{ get_base_dates(start_date, end_date) }}
),
dates as (
    select
        cast(date_day as date) as date_day,
        cast({{ dbt.dateadd('year', -1, 'date_day') }} as date) as prior_year_date_day,
        cast({{ dbt.dateadd('day', -364, 'date_day') }} as date) as prior_year_over_year_date_day
    from base_dates
)
select
    date_day,
    {{ yesterday('date_day') }} as prior_date_day,
    {{ tomorrow('date_day') }} as next_date_day,
    prior_year_date_day,
    prior_year_over_year_date_day,
    {{ day_of_week('date_day', isoweek=false) }} as day_of_week,
    {{ day_of_week('date_day', isoweek=true) }} as day_of_week_iso,
    {{ day_name('date_day', short=false) }} as day_of_week_name,
    {{ day_name('date_day', short=true) }} as day_of_week_name_short,
    {{ day_of_month('date_day') }} as day_of_month,
    {{ day_of_year('date_day') }} as day_of_year,
    {{ week_start('date_day') }} as week_start_date,
    {{ week_end('date_day') }} as week_end_date,
    {{ week_start('prior_year_over_year_date_day') }} as prior_year_week_start_date,
    {{ week_end('prior_year_over_year_date_day') }} as prior_year_week_end_date,
    {{ week_of_year('date_day') }} as week_of_year,
    {{ iso_week_start('date_day') }} as iso_week_start_date,
    {{ iso_week_end('date_day') }} as iso_week_end_date,
    {{ iso_week_start('prior_year_over_year_date_day') }} as prior_year_iso_week_start_date,
    {{ iso_week_end('prior_year_over_year_date_day') }} as prior_year_iso_week_end_date,
    {{ iso_week_of_year('date_day') }} as iso_week_of_year,
    {{ iso_year_week('date_day') }} as iso_year_week,
    {{ week_of_year('prior_year_over_year_date_day') }} as prior_year_week_of_year,
    {{ iso_week_of_year('prior_year_over_year_date_day') }} as prior_year_iso_week_of_year,
    cast({{ date_part('month', 'date_day') }} as {{ dbt.type_int() }}) as month_of_year,
    {{ month_name('date_day', short=false) }} as month_name,
    {{ month_name('date_day', short=true) }} as month_name_short,
    cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
    {{ dbt.last_day('date_day', 'month') }} as month_end_date,
    cast({{ dbt.date_trunc('month', 'prior_year_date_day') }} as date) as prior_year_month_start_date,
    {{ dbt.last_day('prior_year_date_day', 'month') }} as prior_year_month_end_date,
    cast({{ date_part('quarter', 'date_day') }} as {{ dbt.type_int() }}) as quarter_of_year,
    cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start_date,
    {{ dbt.last_day('date_day', 'quarter') }} as quarter_end_date,
    cast({{ date_part('year', 'date_day') }} as {{ dbt.type_int() }}) as year_number,
    cast({{ dbt.date_trunc('year', 'date_day') }} as date) as year_start_date,
    {{ dbt.last_day('date_day', 'year') }} as year_end_date
from dates
order by date_day
{%- endmacro %}

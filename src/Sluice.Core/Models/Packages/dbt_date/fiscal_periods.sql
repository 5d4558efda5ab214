{#- dbt_date's retail (4-5-4) fiscal calendar, from a date dimension built by get_date_dimension
    (dates is a relation, as ref('dim_date')). Weeks begin on week_start_day (1 is Sunday, as
    day_of_week counts). A fiscal year ends with the week that starts in year_end_month and ends
    nearest that month's last day; it is numbered by that week's calendar year less shift_year.
    Only the years whose start and end both lie in the dimension are kept. -#}

{% macro get_fiscal_year_dates(dates, year_end_month=12, week_start_day=1, shift_year=1) -%}
{{ return(adapter.dispatch('get_fiscal_year_dates', 'dbt_date')(dates, year_end_month, week_start_day, shift_year)) }}
{%- endmacro %}
{% macro default__get_fiscal_year_dates(dates, year_end_month, week_start_day, shift_year) -%}
with calendar as (
    select date_day, year_number, month_of_year, month_end_date, day_of_week from {{ dates }}
),
weeks as (
    select
        date_day as week_start_date,
        cast({{ dbt.dateadd('day', 6, 'date_day') }} as date) as week_end_date,
        year_number - {{ shift_year }} as fiscal_year_number,
        month_of_year,
        month_end_date
    from calendar
    where day_of_week = {{ week_start_day }}
),
year_ends as (
    select fiscal_year_number, week_end_date as fiscal_year_end_date
    from (
        select
            fiscal_year_number,
            week_end_date,
            row_number() over (partition by fiscal_year_number order by abs({{ dbt.datediff('week_end_date', 'month_end_date', 'day') }})) as nearness
        from weeks
        where month_of_year = {{ year_end_month }}
    ) as candidates
    where nearness = 1
),
years as (
    select
        fiscal_year_number,
        cast({{ dbt.dateadd('day', 1, 'lag(fiscal_year_end_date) over (order by fiscal_year_end_date)') }} as date) as fiscal_year_start_date,
        fiscal_year_end_date
    from year_ends
)
select
    calendar.date_day,
    years.fiscal_year_number,
    years.fiscal_year_start_date,
    years.fiscal_year_end_date,
    weeks.week_start_date,
    weeks.week_end_date,
    dense_rank() over (partition by years.fiscal_year_number order by weeks.week_start_date) as fiscal_week_of_year
from calendar
join years on calendar.date_day between years.fiscal_year_start_date and years.fiscal_year_end_date
join weeks on calendar.date_day between weeks.week_start_date and weeks.week_end_date
order by calendar.date_day
{%- endmacro %}

{#- Each fiscal year's 13-week quarters split into periods of 4, 5 and 4 weeks; a 53rd week joins
    the last period. -#}
{% macro get_fiscal_periods(dates, year_end_month, week_start_day, shift_year=1) -%}
{{ return(adapter.dispatch('get_fiscal_periods', 'dbt_date')(dates, year_end_month, week_start_day, shift_year)) }}
{%- endmacro %}
{% macro default__get_fiscal_periods(dates, year_end_month, week_start_day, shift_year) -%}
with fiscal_weeks as (
    {{ get_fiscal_year_dates(dates, year_end_month, week_start_day, shift_year) }}
),
quartered as (
    select
        *,
        cast(least(floor((fiscal_week_of_year - 1) / 13.0), 3) as {{ dbt.type_int() }}) as quarter_index,
        case
            when fiscal_week_of_year = 53 then 3
            when mod(fiscal_week_of_year - 1, 13) < 4 then 1
            when mod(fiscal_week_of_year - 1, 13) < 9 then 2
            else 3
        end as fiscal_period_of_quarter
    from fiscal_weeks
)
select
    date_day,
    fiscal_year_number,
    week_start_date,
    week_end_date,
    fiscal_week_of_year,
    dense_rank() over (partition by fiscal_year_number, quarter_index, fiscal_period_of_quarter order by fiscal_week_of_year) as fiscal_week_of_period,
    cast(quarter_index * 3 + fiscal_period_of_quarter as {{ dbt.type_int() }}) as fiscal_period_number,
    quarter_index + 1 as fiscal_quarter_number,
    fiscal_period_of_quarter
from quartered
order by date_day
{%- endmacro %}

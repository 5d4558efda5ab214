{#- The one expression of this project that DuckDB, PostgreSQL and ClickHouse 18.16 do not spell
    alike: the UTC day of a timestamp. Everything else in models/ is SQL all three run (no CTEs,
    no window functions, no FILTER clauses, no positional GROUP BY, no joins). -#}

{#- The day (a date) of a timestamp column. -#}
{% macro day_of(column) -%}
{{ return(adapter.dispatch('day_of')(column)) }}
{%- endmacro %}

{% macro default__day_of(column) -%}
cast({{ column }} as date)
{%- endmacro %}

{#- ClickHouse 18.16 names its types case-sensitively (Date), so cast(… as date) is refused. -#}
{% macro clickhouse__day_of(column) -%}
toDate({{ column }})
{%- endmacro %}

{% macro cents_to_dollars(column_name, scale=var('cents_scale', 2)) -%}
    {{ return(adapter.dispatch('cents_to_dollars', 'macro_shop')(column_name, scale)) }}
{%- endmacro %}

{% macro default__cents_to_dollars(column_name, scale) -%}
    round(cast(({{ column_name }} / 100.0) as numeric(16, {{ scale }})), {{ scale }})
{%- endmacro %}

{% macro postgres__cents_to_dollars(column_name, scale) -%}
    round(({{ column_name }}::numeric / 100), {{ scale }})
{%- endmacro %}

{% macro duckdb__cents_to_dollars(column_name, scale) -%}
    round(cast({{ column_name }} as decimal(18, 4)) / 100, {{ scale }})
{%- endmacro %}

{#- The dbt_utils dispatch search order puts this project first, so this replaces dbt_utils' own. -#}
{% macro default__safe_divide(numerator, denominator) -%}
    coalesce(( {{ numerator }} ) / nullif( ( {{ denominator }} ), 0), 0)
{%- endmacro %}

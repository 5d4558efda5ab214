{#- What the dbt_expectations tests here share: pieces of SQL, by names of Sluice's own. -#}

{#- `expression` within [min_value, max_value] (either may be none); strictly makes the bounds
    themselves fail. The bounds are SQL, as dbt_expectations writes them. -#}
{% macro between_condition(expression, min_value, max_value, strictly) -%}
{%- if min_value is none and max_value is none -%}
    {{ exceptions.raise_compiler_error("needs min_value, max_value or both") }}
{%- endif -%}
{%- set parts = [] -%}
{%- if min_value is not none %}{% do parts.append(expression ~ (' > ' if strictly else ' >= ') ~ min_value) %}{% endif -%}
{%- if max_value is not none %}{% do parts.append(expression ~ (' < ' if strictly else ' <= ') ~ max_value) %}{% endif -%}
{{ parts | join(' and ') }}
{%- endmacro %}

{#- ` and (row_condition)`, or nothing, to follow a where clause. -#}
{% macro and_condition(row_condition) -%}
{%- if row_condition %} and ({{ row_condition }}){% endif -%}
{%- endmacro %}

{#- An aggregate of the (filtered, optionally grouped) rows that must lie within bounds: a
    failing row is a group whose value is outside them. -#}
{% macro aggregate_between(model, expression, min_value, max_value, group_by, row_condition, strictly) %}
{%- set groups = (group_by or []) | join(', ') %}
with grouped as (
    select {% if groups %}{{ groups }}, {% endif %}{{ expression }} as expression_value
    from {{ model }}
    where true{{ and_condition(row_condition) }}
    {% if groups %}group by {{ groups }}{% endif %}
)
select *
from grouped
where not ({{ between_condition('expression_value', min_value, max_value, strictly) }})
{% endmacro %}

{#- A value list for `in (…)`: quoted strings, or SQL as written. -#}
{% macro value_list(values, quote_values) -%}
{%- for value in values -%}
{% if quote_values %}'{{ (value ~ '') | replace("'", "''") }}'{% else %}{{ value }}{% endif %}{% if not loop.last %}, {% endif %}
{%- endfor -%}
{%- endmacro %}

{#- Whether `expression` has a match of the regular expression (anywhere in it); flags as the
    engine takes them ('i' for case-insensitive). -#}
{% macro regex_condition(expression, regex, flags) -%}
{{ return(adapter.dispatch('regex_condition', 'dbt_expectations')(expression, regex, flags)) }}
{%- endmacro %}

{% macro default__regex_condition(expression, regex, flags) -%}
({{ expression }} {{ '~*' if 'i' in (flags or '') else '~' }} '{{ regex | replace("'", "''") }}')
{%- endmacro %}

{% macro duckdb__regex_condition(expression, regex, flags) -%}
regexp_matches({{ expression }}, '{{ regex | replace("'", "''") }}'{% if flags %}, '{{ flags }}'{% endif %})
{%- endmacro %}

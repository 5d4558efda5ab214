{#- Number series, which date spines are built on. -#}

{#- The smallest power p with 2^p >= upper_bound (a positive number known when the model compiles). -#}
{% macro get_powers_of_two(upper_bound) %}{{ return(adapter.dispatch('get_powers_of_two', 'dbt')(upper_bound)) }}{% endmacro %}
{% macro default__get_powers_of_two(upper_bound) -%}
{%- if upper_bound <= 0 -%}
{{ exceptions.raise_compiler_error("get_powers_of_two: the upper bound must be positive, not " ~ upper_bound) }}
{%- endif -%}
{%- for power in range(1, 64) -%}
{%- if upper_bound <= 2 ** power -%}{{ return(power) }}{%- endif -%}
{%- endfor -%}
{%- endmacro %}

{#- A query of the numbers 1 to upper_bound, in one column, generated_number. Both engines have a
    generate_series table function, so upper_bound may be any expression, not only a number. -#}
{% macro generate_series(upper_bound) %}{{ return(adapter.dispatch('generate_series', 'dbt')(upper_bound)) }}{% endmacro %}
{% macro default__generate_series(upper_bound) %}select generated_number from generate_series(1, {{ upper_bound }}) as series(generated_number){% endmacro %}

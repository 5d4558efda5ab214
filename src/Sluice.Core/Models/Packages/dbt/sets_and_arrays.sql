{#- dbt's cross-database set operators, null-safe equality and arrays. -#}

{% macro except() %}{{ return(adapter.dispatch('except', 'dbt')()) }}{% endmacro %}
{% macro default__except() %}except{% endmacro %}

{% macro intersect() %}{{ return(adapter.dispatch('intersect', 'dbt')()) }}{% endmacro %}
{% macro default__intersect() %}intersect{% endmacro %}

{#- True when both are equal or both are null, false otherwise, never null (dbt's behaviour with
    enable_truthy_nulls_equals_macro on, the one its docs describe). -#}
{% macro equals(expr1, expr2) %}{{ return(adapter.dispatch('equals', 'dbt')(expr1, expr2)) }}{% endmacro %}
{% macro default__equals(expr1, expr2) %}(case when (({{ expr1 }}) = ({{ expr2 }})) or (({{ expr1 }}) is null and ({{ expr2 }}) is null) then 0 else 1 end = 0){% endmacro %}

{#- An array of the inputs (SQL expressions of one type); an empty one needs its element type. -#}
{% macro array_construct(inputs=[], data_type=type_int()) %}{{ return(adapter.dispatch('array_construct', 'dbt')(inputs, data_type)) }}{% endmacro %}
{% macro default__array_construct(inputs, data_type) %}{% if inputs | length > 0 %}array[{{ inputs | join(', ') }}]{% else %}cast(array[] as {{ data_type }}[]){% endif %}{% endmacro %}
{% macro duckdb__array_construct(inputs, data_type) %}{% if inputs | length > 0 %}[{{ inputs | join(', ') }}]{% else %}cast([] as {{ data_type }}[]){% endif %}{% endmacro %}

{% macro array_append(array, new_element) %}{{ return(adapter.dispatch('array_append', 'dbt')(array, new_element)) }}{% endmacro %}
{% macro default__array_append(array, new_element) %}array_append({{ array }}, {{ new_element }}){% endmacro %}

{% macro array_concat(array_1, array_2) %}{{ return(adapter.dispatch('array_concat', 'dbt')(array_1, array_2)) }}{% endmacro %}
{% macro default__array_concat(array_1, array_2) %}array_cat({{ array_1 }}, {{ array_2 }}){% endmacro %}

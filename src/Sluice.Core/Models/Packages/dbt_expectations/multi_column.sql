{#- dbt_expectations' tests across columns, written from its documented behaviour. -#}

{#- The columns are unique together. ignore_row_if: all_values_are_missing (default) leaves out
    rows whose columns are all null, any_value_is_missing rows with any null. One failing row per
    repeated combination, with how often it occurs. -#}
{% test expect_compound_columns_to_be_unique(model, column_list, quote_columns=false, ignore_row_if='all_values_are_missing', row_condition=none) %}
{%- if ignore_row_if not in ['all_values_are_missing', 'any_value_is_missing'] -%}
    {{ exceptions.raise_compiler_error("expect_compound_columns_to_be_unique: ignore_row_if must be 'all_values_are_missing' or 'any_value_is_missing', not '" ~ ignore_row_if ~ "'") }}
{%- endif -%}
{%- set columns = [] -%}
{%- for column in column_list -%}{% do columns.append(adapter.quote(column) if quote_columns else column) %}{%- endfor -%}
select {{ columns | join(', ') }}, count(*) as n_records
from {{ model }}
where not ({% for column in columns %}{% if not loop.first %} {{ 'and' if ignore_row_if == 'all_values_are_missing' else 'or' }} {% endif %}{{ column }} is null{% endfor %}){{ and_condition(row_condition) }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{% test expect_column_pair_values_A_to_be_greater_than_B(model, column_A, column_B, or_equal=false, row_condition=none) %}
select *
from {{ model }}
where not ({{ column_A }} {{ '>=' if or_equal else '>' }} {{ column_B }}){{ and_condition(row_condition) }}
{% endtest %}

{% test expect_column_pair_values_to_be_equal(model, column_A, column_B, row_condition=none) %}
select *
from {{ model }}
where not ({{ column_A }} = {{ column_B }}){{ and_condition(row_condition) }}
{% endtest %}

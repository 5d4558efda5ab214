{#- dbt_expectations' tests of a table's shape (its rows and columns), written from its
    documented behaviour. A failing row is a group (or the table) whose count is wrong. -#}

{% test expect_table_row_count_to_be_between(model, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ return(aggregate_between(model, 'count(*)', min_value, max_value, group_by, row_condition, strictly)) }}
{% endtest %}

{% test expect_table_row_count_to_equal(model, value, group_by=none, row_condition=none) %}
{{ return(aggregate_between(model, 'count(*)', value, value, group_by, row_condition, false)) }}
{% endtest %}

{#- The model's row count equals compare_model's times factor; with group_by and
    compare_group_by (paired by position), group by group. -#}
{% test expect_table_row_count_to_equal_other_table(model, compare_model, group_by=none, compare_group_by=none, factor=1, row_condition=none, compare_row_condition=none) %}
{%- set model_groups = group_by or [] -%}
{%- set compare_groups = compare_group_by or model_groups -%}
{%- if model_groups | length != compare_groups | length -%}
    {{ exceptions.raise_compiler_error("expect_table_row_count_to_equal_other_table: group_by and compare_group_by need as many columns") }}
{%- endif %}
with counts as (
    select {% for column in model_groups %}{{ column }} as group_{{ loop.index }}, {% endfor %}count(*) as model_rows, 0 as compare_rows
    from {{ model }}
    where true{{ and_condition(row_condition) }}
    {% if model_groups %}group by {{ model_groups | join(', ') }}{% endif %}
    union all
    select {% for column in compare_groups %}{{ column }}, {% endfor %}0, count(*)
    from {{ compare_model }}
    where true{{ and_condition(compare_row_condition) }}
    {% if compare_groups %}group by {{ compare_groups | join(', ') }}{% endif %}
)
select {% for column in model_groups %}group_{{ loop.index }} as {{ column }}, {% endfor %}sum(model_rows) as model_row_count, sum(compare_rows) * {{ factor }} as expected_row_count
from counts
{% if model_groups %}group by {% for column in model_groups %}{% if not loop.first %}, {% endif %}group_{{ loop.index }}{% endfor %}{% endif %}
having sum(model_rows) <> sum(compare_rows) * {{ factor }}
{% endtest %}

{#- The column exists (at column_index, 1-based, when given); names compare after `transform`
    (upper by default, so without regard to case). One failing row when it does not. -#}
{% test expect_column_to_exist(model, column_name, column_index=none, transform='upper') %}
{%- set names = [] -%}
{%- for column in adapter.get_columns_in_relation(model) -%}
    {% do names.append(column.name | lower if transform == 'lower' else column.name | upper) %}
{%- endfor -%}
{%- set wanted = column_name | lower if transform == 'lower' else column_name | upper -%}
{%- if column_index is not none -%}
    {%- set found = names | length >= column_index and names[column_index - 1] == wanted -%}
{%- else -%}
    {%- set found = wanted in names -%}
{%- endif %}
select '{{ column_name | replace("'", "''") }}' as column_name, {{ names | length }} as columns_in_relation
where {{ 'false' if found else 'true' }}
{% endtest %}

{% test expect_table_column_count_to_equal(model, value) %}
{%- set count = adapter.get_columns_in_relation(model) | length %}
select {{ count }} as column_count, {{ value }} as expected_column_count
where {{ count }} <> {{ value }}
{% endtest %}

{#- The newest value of the column (among the rows row_condition keeps) is no older than
    `interval` dateparts before now; a column with no value fails too. -#}
{% test expect_row_values_to_have_recent_data(model, column_name, datepart, interval, row_condition=none) %}
{%- set threshold = 'cast(' ~ dbt.dateadd(datepart, interval * -1, dbt.current_timestamp()) ~ ' as ' ~ dbt.type_timestamp() ~ ')' %}
with latest as (
    select max(cast({{ column_name }} as {{ dbt.type_timestamp() }})) as latest_value
    from {{ model }}
    where true{{ and_condition(row_condition) }}
)
select *, {{ threshold }} as threshold
from latest
where latest_value is null or latest_value < {{ threshold }}
{% endtest %}

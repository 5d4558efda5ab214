{#- dbt_expectations' tests of each value of a column, written from its documented behaviour:
    each selects the rows (or values) that fail, among those row_condition keeps. -#}

{% test expect_column_values_to_not_be_null(model, column_name, row_condition=none) %}
select *
from {{ model }}
where {{ column_name }} is null{{ and_condition(row_condition) }}
{% endtest %}

{% test expect_column_values_to_be_null(model, column_name, row_condition=none) %}
select *
from {{ model }}
where {{ column_name }} is not null{{ and_condition(row_condition) }}
{% endtest %}

{#- One failing row per repeated (non-null) value, with how often it occurs. -#}
{% test expect_column_values_to_be_unique(model, column_name, row_condition=none) %}
select {{ column_name }}, count(*) as n_records
from {{ model }}
where {{ column_name }} is not null{{ and_condition(row_condition) }}
group by {{ column_name }}
having count(*) > 1
{% endtest %}

{% test expect_column_values_to_be_between(model, column_name, min_value=none, max_value=none, row_condition=none, strictly=false) %}
select *
from {{ model }}
where not ({{ between_condition(column_name, min_value, max_value, strictly) }}){{ and_condition(row_condition) }}
{% endtest %}

{% test expect_column_values_to_be_in_set(model, column_name, value_set, quote_values=true, row_condition=none) %}
select *
from {{ model }}
where {{ column_name }} not in ({{ value_list(value_set, quote_values) }}){{ and_condition(row_condition) }}
{% endtest %}

{% test expect_column_values_to_not_be_in_set(model, column_name, value_set, quote_values=true, row_condition=none) %}
select *
from {{ model }}
where {{ column_name }} in ({{ value_list(value_set, quote_values) }}){{ and_condition(row_condition) }}
{% endtest %}

{#- Ordered by sort_column (the column itself by default), each value is greater than the one
    before (or not smaller, when strictly is false), or exactly `step` more; per group. -#}
{% test expect_column_values_to_be_increasing(model, column_name, sort_column=none, strictly=true, row_condition=none, group_by=none, step=none) %}
{{ return(dbt_expectations.ordered_values(model, column_name, sort_column, strictly, row_condition, group_by, step, '>')) }}
{% endtest %}

{% test expect_column_values_to_be_decreasing(model, column_name, sort_column=none, strictly=true, row_condition=none, group_by=none, step=none) %}
{{ return(dbt_expectations.ordered_values(model, column_name, sort_column, strictly, row_condition, group_by, step, '<')) }}
{% endtest %}

{% macro ordered_values(model, column_name, sort_column, strictly, row_condition, group_by, step, direction) %}
{%- set groups = (group_by or []) | join(', ') %}
with ordered as (
    select *, lag({{ column_name }}) over ({% if groups %}partition by {{ groups }} {% endif %}order by {{ sort_column or column_name }}) as previous_value
    from {{ model }}
    where {{ column_name }} is not null{{ and_condition(row_condition) }}
)
select *
from ordered
where previous_value is not null
  and not (
    {%- if step is not none %}
    {{ column_name }} - previous_value = {{ step if direction == '>' else -step }}
    {%- else %}
    {{ column_name }} {{ direction }}{{ '' if strictly else '=' }} previous_value
    {%- endif %}
  )
{% endmacro %}

{#- dbt_utils' generic tests that Sluice has no check type of its own for, written from
    dbt_utils' documented behaviour. Each test selects the rows that fail it. As in dbt_utils,
    test_<name> dispatches to <adapter>__test_<name> or default__test_<name>, so that a project's
    `dispatch:` setting for dbt_utils can put an implementation of its own first.
    (not_null, unique, accepted_values, relationships, accepted_range, expression_is_true,
    unique_combination_of_columns and not_empty are Sluice's own check types.) -#}

{#- Two relations have as many rows (per group of group_by_columns). -#}
{% test equal_rowcount(model, compare_model, group_by_columns=[]) %}
{{ return(adapter.dispatch('test_equal_rowcount', 'dbt_utils')(model, compare_model, group_by_columns)) }}
{% endtest %}

{% macro default__test_equal_rowcount(model, compare_model, group_by_columns) %}
{%- set groups = group_by_columns | join(', ') %}
with counts as (
    select {% if groups %}{{ groups }}, {% endif %}count(*) as model_rows, 0 as compare_rows
    from {{ model }}
    {% if groups %}group by {{ groups }}{% endif %}
    union all
    select {% if groups %}{{ groups }}, {% endif %}0, count(*)
    from {{ compare_model }}
    {% if groups %}group by {{ groups }}{% endif %}
)
select {% if groups %}{{ groups }}, {% endif %}sum(model_rows) as model_row_count, sum(compare_rows) as compare_model_row_count
from counts
{% if groups %}group by {{ groups }}{% endif %}
having sum(model_rows) <> sum(compare_rows)
{% endmacro %}

{#- The model has fewer rows than compare_model (per group of group_by_columns). -#}
{% test fewer_rows_than(model, compare_model, group_by_columns=[]) %}
{{ return(adapter.dispatch('test_fewer_rows_than', 'dbt_utils')(model, compare_model, group_by_columns)) }}
{% endtest %}

{% macro default__test_fewer_rows_than(model, compare_model, group_by_columns) %}
{%- set groups = group_by_columns | join(', ') %}
with counts as (
    select {% if groups %}{{ groups }}, {% endif %}count(*) as model_rows, 0 as compare_rows
    from {{ model }}
    {% if groups %}group by {{ groups }}{% endif %}
    union all
    select {% if groups %}{{ groups }}, {% endif %}0, count(*)
    from {{ compare_model }}
    {% if groups %}group by {{ groups }}{% endif %}
)
select {% if groups %}{{ groups }}, {% endif %}sum(model_rows) as model_row_count, sum(compare_rows) as compare_model_row_count
from counts
{% if groups %}group by {{ groups }}{% endif %}
having sum(model_rows) >= sum(compare_rows)
{% endmacro %}

{#- Two relations hold the same rows, compared as sets: the model's columns (or compare_columns,
    less exclude_columns), numbers rounded to `precision` decimals when it is given. A failing row
    is a row one side has and the other lacks. -#}
{% test equality(model, compare_model, compare_columns=none, exclude_columns=none, precision=none) %}
{{ return(adapter.dispatch('test_equality', 'dbt_utils')(model, compare_model, compare_columns, exclude_columns, precision)) }}
{% endtest %}

{% macro default__test_equality(model, compare_model, compare_columns, exclude_columns, precision) %}
{%- set excluded = (exclude_columns or []) | map('upper') | list -%}
{%- set numeric = [] -%}
{%- set columns = [] -%}
{%- if compare_columns -%}
    {%- for name in compare_columns if name | upper not in excluded -%}{% do columns.append(name) %}{%- endfor -%}
{%- else -%}
    {%- for column in adapter.get_columns_in_relation(model) if column.name | upper not in excluded -%}{% do columns.append(adapter.quote(column.name)) %}{%- endfor -%}
{%- endif -%}
{%- if precision is not none -%}
    {%- for column in adapter.get_columns_in_relation(model) if column.is_number() -%}{% do numeric.append(column.name | upper) %}{%- endfor -%}
{%- endif -%}
{%- if columns | length == 0 -%}
    {{ exceptions.raise_compiler_error("dbt_utils.equality: no columns to compare; check compare_columns and exclude_columns") }}
{%- endif -%}
{%- set selected = [] -%}
{%- for column in columns -%}
    {%- if precision is not none and column | replace('"', '') | upper in numeric -%}
        {% do selected.append('round(cast(' ~ column ~ ' as numeric), ' ~ precision ~ ') as ' ~ column) %}
    {%- else -%}
        {% do selected.append(column) %}
    {%- endif -%}
{%- endfor %}
with model_rows as (
    select {{ selected | join(', ') }} from {{ model }}
),
compare_rows as (
    select {{ selected | join(', ') }} from {{ compare_model }}
),
only_in_model as (
    select * from model_rows
    {{ dbt.except() }}
    select * from compare_rows
),
only_in_compare as (
    select * from compare_rows
    {{ dbt.except() }}
    select * from model_rows
)
select 'only in the model' as difference, * from only_in_model
union all
select 'only in compare_model' as difference, * from only_in_compare
{% endmacro %}

{#- The column has a value (not null) on at least one row (per group of group_by_columns). -#}
{% test at_least_one(model, column_name, group_by_columns=[]) %}
{{ return(adapter.dispatch('test_at_least_one', 'dbt_utils')(model, column_name, group_by_columns)) }}
{% endtest %}

{% macro default__test_at_least_one(model, column_name, group_by_columns) %}
{%- set groups = group_by_columns | join(', ') %}
select {% if groups %}{{ groups }}, {% endif %}count({{ column_name }}) as values_present
from {{ model }}
{% if groups %}group by {{ groups }}{% endif %}
having count({{ column_name }}) = 0
{% endmacro %}

{#- The column does not hold one same value on every row (per group of group_by_columns). -#}
{% test not_constant(model, column_name, group_by_columns=[]) %}
{{ return(adapter.dispatch('test_not_constant', 'dbt_utils')(model, column_name, group_by_columns)) }}
{% endtest %}

{% macro default__test_not_constant(model, column_name, group_by_columns) %}
{%- set groups = group_by_columns | join(', ') %}
select {% if groups %}{{ groups }}, {% endif %}count(distinct {{ column_name }}) as distinct_values
from {{ model }}
{% if groups %}group by {{ groups }}{% endif %}
having count(distinct {{ column_name }}) = 1
{% endmacro %}

{#- No value of the column is the empty string (after trimming whitespace, by default). -#}
{% test not_empty_string(model, column_name, trim_whitespace=true) %}
{{ return(adapter.dispatch('test_not_empty_string', 'dbt_utils')(model, column_name, trim_whitespace)) }}
{% endtest %}

{% macro default__test_not_empty_string(model, column_name, trim_whitespace) %}
select *
from {{ model }}
where {% if trim_whitespace %}trim({{ column_name }}){% else %}{{ column_name }}{% endif %} = ''
{% endmacro %}

{#- The share of non-null values lies in [at_least, at_most] (per group of group_by_columns). -#}
{% test not_null_proportion(model, column_name, at_least, at_most=1.0, group_by_columns=[]) %}
{{ return(adapter.dispatch('test_not_null_proportion', 'dbt_utils')(model, column_name, at_least, at_most, group_by_columns)) }}
{% endtest %}

{% macro default__test_not_null_proportion(model, column_name, at_least, at_most, group_by_columns) %}
{%- set groups = group_by_columns | join(', ') %}
with proportions as (
    select {% if groups %}{{ groups }}, {% endif %}cast(count({{ column_name }}) as {{ dbt.type_float() }}) / nullif(count(*), 0) as not_null_proportion
    from {{ model }}
    {% if groups %}group by {{ groups }}{% endif %}
)
select *
from proportions
where not_null_proportion < {{ at_least }} or not_null_proportion > {{ at_most }}
{% endmacro %}

{#- The newest `field` is no older than `interval` dateparts before now (today, with
    ignore_time_component), per group of group_by_columns; no value at all fails too. -#}
{% test recency(model, field, datepart, interval, ignore_time_component=false, group_by_columns=[]) %}
{{ return(adapter.dispatch('test_recency', 'dbt_utils')(model, field, datepart, interval, ignore_time_component, group_by_columns)) }}
{% endtest %}

{% macro default__test_recency(model, field, datepart, interval, ignore_time_component, group_by_columns) %}
{%- set groups = group_by_columns | join(', ') -%}
{%- set point = 'date' if ignore_time_component else dbt.type_timestamp() -%}
{%- set threshold = 'cast(' ~ dbt.dateadd(datepart, interval * -1, dbt.current_timestamp()) ~ ' as ' ~ point ~ ')' %}
with latest as (
    select {% if groups %}{{ groups }}, {% endif %}max(cast({{ field }} as {{ point }})) as most_recent
    from {{ model }}
    {% if groups %}group by {{ groups }}{% endif %}
)
select *, {{ threshold }} as threshold
from latest
where most_recent < {{ threshold }} or most_recent is null
{% endmacro %}

{#- Ordered by the column, each value is the one before plus `interval` (numbers), or plus
    `interval` dateparts when datepart is given; per group of group_by_columns. -#}
{% test sequential_values(model, column_name, interval=1, datepart=none, group_by_columns=[]) %}
{{ return(adapter.dispatch('test_sequential_values', 'dbt_utils')(model, column_name, interval, datepart, group_by_columns)) }}
{% endtest %}

{% macro default__test_sequential_values(model, column_name, interval, datepart, group_by_columns) %}
{%- set groups = group_by_columns | join(', ') %}
with ordered as (
    select *, lag({{ column_name }}) over ({% if groups %}partition by {{ groups }} {% endif %}order by {{ column_name }}) as previous_value
    from {{ model }}
)
select *
from ordered
where previous_value is not null
  and not ({{ column_name }} = {% if datepart %}{{ dbt.dateadd(datepart, interval, 'previous_value') }}{% else %}previous_value + {{ interval }}{% endif %})
{% endmacro %}

{#- Ranges [lower, upper] do not overlap within a partition. gaps: allowed (default), not_allowed
    (each range ends where the next starts) or required; zero_length_range_allowed lets a range
    end where it starts. A row fails when its own range is wrong (or has a null bound) or when it
    and the next range break the gap rule. -#}
{% test mutually_exclusive_ranges(model, lower_bound_column, upper_bound_column, partition_by=none, gaps='allowed', zero_length_range_allowed=false) %}
{{ return(adapter.dispatch('test_mutually_exclusive_ranges', 'dbt_utils')(model, lower_bound_column, upper_bound_column, partition_by, gaps, zero_length_range_allowed)) }}
{% endtest %}

{% macro default__test_mutually_exclusive_ranges(model, lower_bound_column, upper_bound_column, partition_by, gaps, zero_length_range_allowed) %}
{%- set next_comparisons = {'allowed': '<=', 'not_allowed': '=', 'required': '<'} -%}
{%- if gaps not in next_comparisons -%}
    {{ exceptions.raise_compiler_error("dbt_utils.mutually_exclusive_ranges: gaps must be 'allowed', 'not_allowed' or 'required', not '" ~ gaps ~ "'") }}
{%- endif -%}
{%- set within = '<=' if zero_length_range_allowed else '<' -%}
{%- set window = ('partition by ' ~ partition_by ~ ' ' if partition_by else '') ~ 'order by ' ~ lower_bound_column ~ ', ' ~ upper_bound_column %}
with ranges as (
    select *, lead({{ lower_bound_column }}) over ({{ window }}) as next_lower_bound
    from {{ model }}
),
judged as (
    select *,
        coalesce({{ lower_bound_column }} {{ within }} {{ upper_bound_column }}, false) as range_is_valid,
        coalesce(next_lower_bound is null or {{ upper_bound_column }} {{ next_comparisons[gaps] }} next_lower_bound, false) as next_range_is_valid
    from ranges
)
select *
from judged
where not (range_is_valid and next_range_is_valid)
{% endmacro %}

{#- relationships with filters: every non-null value of the rows that meet from_condition is
    found in `field` of the rows of `to` that meet to_condition. -#}
{% test relationships_where(model, column_name, to, field, from_condition='1=1', to_condition='1=1') %}
{{ return(adapter.dispatch('test_relationships_where', 'dbt_utils')(model, column_name, to, field, from_condition, to_condition)) }}
{% endtest %}

{% macro default__test_relationships_where(model, column_name, to, field, from_condition, to_condition) %}
select *
from {{ model }}
where ({{ from_condition }})
  and {{ column_name }} is not null
  and {{ column_name }} not in (
    select {{ field }} from {{ to }} where ({{ to_condition }}) and {{ field }} is not null
  )
{% endmacro %}

{#- Each value occurs as many times in the column as in `field` of `to`: a failing row is a
    (value, occurrences) pair that one side has and the other lacks. -#}
{% test cardinality_equality(model, column_name, to, field) %}
{{ return(adapter.dispatch('test_cardinality_equality', 'dbt_utils')(model, column_name, to, field)) }}
{% endtest %}

{% macro default__test_cardinality_equality(model, column_name, to, field) %}
with model_counts as (
    select {{ column_name }} as value, count(*) as occurrences from {{ model }} group by {{ column_name }}
),
compare_counts as (
    select {{ field }} as value, count(*) as occurrences from {{ to }} group by {{ field }}
),
only_in_model as (
    select * from model_counts
    {{ dbt.except() }}
    select * from compare_counts
),
only_in_compare as (
    select * from compare_counts
    {{ dbt.except() }}
    select * from model_counts
)
select 'only in the model' as difference, * from only_in_model
union all
select 'only in the other relation' as difference, * from only_in_compare
{% endmacro %}

{#- No value of the column is one of `values` (strings unless quote is false). -#}
{% test not_accepted_values(model, column_name, values, quote=true) %}
{{ return(adapter.dispatch('test_not_accepted_values', 'dbt_utils')(model, column_name, values, quote)) }}
{% endtest %}

{% macro default__test_not_accepted_values(model, column_name, values, quote) %}
select *
from {{ model }}
where {{ column_name }} in (
    {%- for value in values -%}
    {% if quote %}'{{ (value ~ '') | replace("'", "''") }}'{% else %}{{ value }}{% endif %}{% if not loop.last %}, {% endif %}
    {%- endfor -%}
)
{% endmacro %}

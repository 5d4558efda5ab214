{#- dbt_expectations' tests of a column's aggregates, written from its documented behaviour: the
    aggregate of the rows row_condition keeps (per group of group_by) must lie within bounds. -#}

{% test expect_column_mean_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ return(aggregate_between(model, 'avg(' ~ column_name ~ ')', min_value, max_value, group_by, row_condition, strictly)) }}
{% endtest %}

{% test expect_column_min_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ return(aggregate_between(model, 'min(' ~ column_name ~ ')', min_value, max_value, group_by, row_condition, strictly)) }}
{% endtest %}

{% test expect_column_max_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ return(aggregate_between(model, 'max(' ~ column_name ~ ')', min_value, max_value, group_by, row_condition, strictly)) }}
{% endtest %}

{% test expect_column_sum_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ return(aggregate_between(model, 'sum(' ~ column_name ~ ')', min_value, max_value, group_by, row_condition, strictly)) }}
{% endtest %}

{% test expect_column_stdev_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ return(aggregate_between(model, 'stddev_samp(' ~ column_name ~ ')', min_value, max_value, group_by, row_condition, strictly)) }}
{% endtest %}

{% test expect_column_unique_value_count_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ return(aggregate_between(model, 'count(distinct ' ~ column_name ~ ')', min_value, max_value, group_by, row_condition, strictly)) }}
{% endtest %}

{#- quote_values is taken for dbt_expectations' signature; the count is a number either way. -#}
{% test expect_column_distinct_count_to_equal(model, column_name, value, quote_values=false, group_by=none, row_condition=none) %}
{{ return(aggregate_between(model, 'count(distinct ' ~ column_name ~ ')', value, value, group_by, row_condition, false)) }}
{% endtest %}

{% test expect_column_distinct_count_to_be_greater_than(model, column_name, value, quote_values=false, group_by=none, row_condition=none) %}
{{ return(aggregate_between(model, 'count(distinct ' ~ column_name ~ ')', value, none, group_by, row_condition, true)) }}
{% endtest %}

{% test expect_column_distinct_count_to_be_less_than(model, column_name, value, quote_values=false, group_by=none, row_condition=none) %}
{{ return(aggregate_between(model, 'count(distinct ' ~ column_name ~ ')', none, value, group_by, row_condition, true)) }}
{% endtest %}

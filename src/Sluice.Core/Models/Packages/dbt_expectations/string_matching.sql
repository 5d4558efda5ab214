{#- dbt_expectations' tests of a column's text, written from its documented behaviour. A match of
    a regular expression may be anywhere in the value; null values pass. -#}

{% test expect_column_values_to_match_regex(model, column_name, regex, row_condition=none, is_raw=false, flags='') %}
select *
from {{ model }}
where {{ column_name }} is not null
  and not {{ regex_condition(column_name, regex, flags) }}{{ and_condition(row_condition) }}
{% endtest %}

{% test expect_column_values_to_not_match_regex(model, column_name, regex, row_condition=none, is_raw=false, flags='') %}
select *
from {{ model }}
where {{ column_name }} is not null
  and {{ regex_condition(column_name, regex, flags) }}{{ and_condition(row_condition) }}
{% endtest %}

{% test expect_column_values_to_match_like_pattern(model, column_name, like_pattern, row_condition=none) %}
select *
from {{ model }}
where {{ column_name }} not like '{{ like_pattern | replace("'", "''") }}'{{ and_condition(row_condition) }}
{% endtest %}

{% test expect_column_values_to_not_match_like_pattern(model, column_name, like_pattern, row_condition=none) %}
select *
from {{ model }}
where {{ column_name }} like '{{ like_pattern | replace("'", "''") }}'{{ and_condition(row_condition) }}
{% endtest %}

{% test expect_column_value_lengths_to_be_between(model, column_name, min_value=none, max_value=none, row_condition=none, strictly=false) %}
select *
from {{ model }}
where not ({{ between_condition(dbt.length(column_name), min_value, max_value, strictly) }}){{ and_condition(row_condition) }}
{% endtest %}

{% test expect_column_value_lengths_to_equal(model, column_name, value, row_condition=none) %}
select *
from {{ model }}
where {{ dbt.length(column_name) }} <> {{ value }}{{ and_condition(row_condition) }}
{% endtest %}

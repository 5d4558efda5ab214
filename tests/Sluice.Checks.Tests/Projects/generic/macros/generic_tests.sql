{#- A generic test written in macros/: the column's values are above zero (or at least zero). -#}
{% test is_positive(model, column_name, allow_zero=false) %}
select *
from {{ model }}
where {{ column_name }} {{ '<' if allow_zero else '<=' }} 0
{% endtest %}

{#- A generic test written in tests/generic/: every key has a row in `orders`. -#}
{% test has_orders(model, column_name, orders, key='customer_id') %}
select *
from {{ model }}
where {{ column_name }} not in (select {{ key }} from {{ orders }} where {{ key }} is not null)
{% endtest %}

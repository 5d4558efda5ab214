{% macro initials(first, last) -%}
    upper({{ dbt.concat(["substr(" ~ first ~ ", 1, 1)", "substr(" ~ last ~ ", 1, 1)"]) }})
{%- endmacro %}

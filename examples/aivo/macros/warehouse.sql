{#- The warehouse's conventions, shared by the fact models. -#}

{#- The yyyymmdd key of a date or timestamp's UTC day: 2025-01-15 10:00 is 20250115. -#}
{% macro date_key(column) -%}
cast(extract(year from {{ column }}) * 10000 + extract(month from {{ column }}) * 100 + extract(day from {{ column }}) as integer)
{%- endmacro %}

{#- True for the version of a dimension (SCD Type 2) that was current at a time. -#}
{% macro valid_at(dimension, time) -%}
{{ time }} >= {{ dimension }}.effective_from and ({{ dimension }}.effective_to is null or {{ time }} < {{ dimension }}.effective_to)
{%- endmacro %}

{#- True for a time inside the partition being built. -#}
{% macro in_partition(column, start, end) -%}
{{ column }} >= cast('{{ start }}' as timestamp) and {{ column }} < cast('{{ end }}' as timestamp)
{%- endmacro %}

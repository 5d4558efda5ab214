{% macro statuses() %}
    {{ return({'open': ['paid', 'shipped'], 'closed': ['refunded']}) }}
{% endmacro %}

{% macro in_list(column_name, values) -%}
    {{ column_name }} in ({% for v in values %}'{{ v }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{% macro with_comment(label) -%}
    /* {{ label }} */ {{ caller() }}
{%- endmacro %}

{% macro audit_columns() -%}
    {%- set columns = [] -%}
    {%- do columns.append("'" ~ invocation_id ~ "' as built_by") -%}
    {%- do columns.append("'" ~ model.name ~ "' as built_model") -%}
    {{ columns | join(',\n    ') }}
{%- endmacro %}

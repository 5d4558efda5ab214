{#- dbt_utils' SQL generators: each dispatches, so that a project's dispatch: config can override one. -#}

{% macro generate_surrogate_key(field_list) %}{{ return(adapter.dispatch('generate_surrogate_key', 'dbt_utils')(field_list)) }}{% endmacro %}
{% macro default__generate_surrogate_key(field_list) -%}
{%- set null_value = '' if var('surrogate_key_treat_nulls_as_empty_strings', false) else '_dbt_utils_surrogate_key_null_' -%}
{%- set fields = [] -%}
{%- for field in field_list -%}
{%- do fields.append("coalesce(cast(" ~ field ~ " as " ~ dbt.type_string() ~ "), '" ~ null_value ~ "')") -%}
{%- if not loop.last %}{% do fields.append("'-'") %}{% endif -%}
{%- endfor -%}
{{ dbt.hash(dbt.concat(fields)) }}
{%- endmacro %}

{% macro surrogate_key(field_list) %}{{ exceptions.raise_compiler_error("dbt_utils.surrogate_key was replaced by dbt_utils.generate_surrogate_key, which treats nulls differently; call generate_surrogate_key") }}{% endmacro %}

{% macro safe_add(field_list) %}{{ return(adapter.dispatch('safe_add', 'dbt_utils')(field_list)) }}{% endmacro %}
{% macro default__safe_add(field_list) -%}
{%- if field_list is string or field_list | length == 0 -%}{{ exceptions.raise_compiler_error("dbt_utils.safe_add takes a list of fields, as safe_add(['a', 'b'])") }}{%- endif -%}
{%- set fields = [] -%}
{%- for field in field_list %}{% do fields.append("coalesce(" ~ field ~ ", 0)") %}{% endfor -%}
{{ fields | join(' +\n  ') }}
{%- endmacro %}

{% macro safe_subtract(field_list) %}{{ return(adapter.dispatch('safe_subtract', 'dbt_utils')(field_list)) }}{% endmacro %}
{% macro default__safe_subtract(field_list) -%}
{%- if field_list is string or field_list | length == 0 -%}{{ exceptions.raise_compiler_error("dbt_utils.safe_subtract takes a list of fields, as safe_subtract(['a', 'b'])") }}{%- endif -%}
{%- set fields = [] -%}
{%- for field in field_list %}{% do fields.append("coalesce(" ~ field ~ ", 0)") %}{% endfor -%}
{{ fields | join(' -\n  ') }}
{%- endmacro %}

{% macro safe_divide(numerator, denominator) %}{{ return(adapter.dispatch('safe_divide', 'dbt_utils')(numerator, denominator)) }}{% endmacro %}
{% macro default__safe_divide(numerator, denominator) %}( {{ numerator }} ) / nullif( ( {{ denominator }} ), 0){% endmacro %}

{% macro group_by(n) %}{{ return(adapter.dispatch('group_by', 'dbt_utils')(n)) }}{% endmacro %}
{% macro default__group_by(n) %}group by {% for i in range(1, n + 1) %}{{ i }}{{ ', ' if not loop.last }}{% endfor %}{% endmacro %}

{% macro generate_series(upper_bound) %}{{ return(dbt.generate_series(upper_bound)) }}{% endmacro %}

{#- One row per datepart from start_date up to, not including, end_date, in a column named date_<datepart>. -#}
{% macro date_spine(datepart, start_date, end_date) %}{{ return(adapter.dispatch('date_spine', 'dbt_utils')(datepart, start_date, end_date)) }}{% endmacro %}
{% macro default__date_spine(datepart, start_date, end_date) -%}
with rawdata as (
    {{ dbt.generate_series(dbt_utils.get_intervals_between(start_date, end_date, datepart)) }}
),
all_periods as (
    select ({{ dbt.dateadd(datepart, "generated_number - 1", start_date) }}) as date_{{ datepart }}
    from rawdata
),
filtered as (
    select * from all_periods where date_{{ datepart }} < {{ end_date }}
)
select * from filtered
{%- endmacro %}

{#- How many dateparts lie between two dates, read from the warehouse while running (at least 1). -#}
{% macro get_intervals_between(start_date, end_date, datepart) %}{{ return(adapter.dispatch('get_intervals_between', 'dbt_utils')(start_date, end_date, datepart)) }}{% endmacro %}
{% macro default__get_intervals_between(start_date, end_date, datepart) -%}
{%- if execute -%}
{%- set result = run_query("select " ~ dbt.datediff(start_date, end_date, datepart)) -%}
{%- set count = result.rows[0][0] | int -%}
{{ return(count + 1 if count > 0 else 1) }}
{%- else -%}
{{ return(1) }}
{%- endif -%}
{%- endmacro %}

{#- The columns of a relation, without those in except (compared without regard to case). -#}
{% macro get_filtered_columns_in_relation(from, except=[]) %}{{ return(adapter.dispatch('get_filtered_columns_in_relation', 'dbt_utils')(from, except)) }}{% endmacro %}
{% macro default__get_filtered_columns_in_relation(from, except=[]) -%}
{%- if not execute -%}{{ return([]) }}{%- endif -%}
{%- set excluded = except | map('lower') | list -%}
{%- set names = [] -%}
{%- for column in adapter.get_columns_in_relation(from) -%}
{%- if column.name | lower not in excluded %}{% do names.append(column.name) %}{% endif -%}
{%- endfor -%}
{{ return(names) }}
{%- endmacro %}

{#- Every column of a relation but the excepted ones, as a select list; "*" while parsing.
    rename maps a column to its alias; unquote_aliases leaves prefixed aliases unquoted. -#}
{% macro star(from, relation_alias=False, except=[], prefix='', suffix='', quote_identifiers=True, unquote_aliases=False, rename={}) %}{{ return(adapter.dispatch('star', 'dbt_utils')(from, relation_alias, except, prefix, suffix, quote_identifiers, unquote_aliases, rename)) }}{% endmacro %}
{% macro default__star(from, relation_alias=False, except=[], prefix='', suffix='', quote_identifiers=True, unquote_aliases=False, rename={}) -%}
{%- if not execute -%}{{ return('*') }}{%- endif -%}
{%- set columns = dbt_utils.get_filtered_columns_in_relation(from, except) -%}
{%- if columns | length == 0 -%}
{{ exceptions.raise_compiler_error("dbt_utils.star: " ~ from ~ " has no columns left (does it exist, and does except remove them all?)") }}
{%- endif -%}
{%- set renames = {} -%}
{%- for key, value in rename.items() %}{% do renames.update({key | lower: value}) %}{% endfor -%}
{%- for column in columns -%}
{%- if relation_alias %}{{ relation_alias }}.{% endif -%}
{%- if quote_identifiers %}{{ adapter.quote(column) }}{% else %}{{ column }}{% endif -%}
{%- if column | lower in renames %} as {{ renames[column | lower] }}
{%- elif prefix or suffix %} as {% if quote_identifiers and not unquote_aliases %}{{ adapter.quote(prefix ~ column ~ suffix) }}{% else %}{{ prefix ~ column ~ suffix }}{% endif %}
{%- endif -%}
{%- if not loop.last %},
  {% endif -%}
{%- endfor -%}
{%- endmacro %}

{#- The relations' rows stacked, every column of any of them, missing ones null; the source relation in a column. -#}
{% macro union_relations(relations, column_override=none, include=[], exclude=[], source_column_name='_dbt_source_relation', where=none) %}{{ return(adapter.dispatch('union_relations', 'dbt_utils')(relations, column_override, include, exclude, source_column_name, where)) }}{% endmacro %}
{% macro default__union_relations(relations, column_override=none, include=[], exclude=[], source_column_name='_dbt_source_relation', where=none) -%}
{%- if exclude and include -%}{{ exceptions.raise_compiler_error("dbt_utils.union_relations: give include or exclude, not both") }}{%- endif -%}
{%- if not execute -%}{{ return('') }}{%- endif -%}
{%- set overrides = column_override or {} -%}
{%- set ns = namespace(names=[], types={}) -%}
{%- set per_relation = {} -%}
{%- for relation in relations -%}
{%- set present = {} -%}
{%- for column in adapter.get_columns_in_relation(relation) -%}
{%- set key = column.name | lower -%}
{%- if (include and key in include | map('lower') | list) or (exclude and key not in exclude | map('lower') | list) or (not include and not exclude) -%}
{%- do present.update({key: column.name}) -%}
{%- if key not in ns.names %}{% do ns.names.append(key) %}{% do ns.types.update({key: overrides.get(column.name, column.data_type)}) %}{% endif -%}
{%- endif -%}
{%- endfor -%}
{%- do per_relation.update({relation | string: present}) -%}
{%- endfor -%}
{%- for relation in relations %}
{% if not loop.first %}union all
{% endif -%}
select
    {%- if source_column_name %}
    cast({{ dbt.string_literal(relation | string | replace("'", "''")) }} as {{ dbt.type_string() }}) as {{ adapter.quote(source_column_name) }},
    {%- endif %}
    {%- for name in ns.names %}
    {% set present = per_relation[relation | string] -%}
    {%- if name in present %}cast({{ adapter.quote(present[name]) }} as {{ ns.types[name] }}){% else %}cast(null as {{ ns.types[name] }}){% endif %} as {{ adapter.quote(name) }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ relation }}
{%- if where %}
where {{ where }}
{%- endif %}
{%- endfor %}
{%- endmacro %}

{#- One aggregated column per value: agg(case when column = value then then_value else else_value end). -#}
{% macro pivot(column, values, alias=True, agg='sum', cmp='=', prefix='', suffix='', then_value=1, else_value=0, quote_identifiers=True, distinct=False) %}{{ return(adapter.dispatch('pivot', 'dbt_utils')(column, values, alias, agg, cmp, prefix, suffix, then_value, else_value, quote_identifiers, distinct)) }}{% endmacro %}
{% macro default__pivot(column, values, alias=True, agg='sum', cmp='=', prefix='', suffix='', then_value=1, else_value=0, quote_identifiers=True, distinct=False) -%}
{%- for value in values -%}
{{ agg }}(
    {%- if distinct %}distinct {% endif -%}
    case when {{ column }} {{ cmp }} '{{ dbt.escape_single_quotes(value) }}' then {{ then_value }} else {{ else_value }} end
)
{%- if alias %} as {% if quote_identifiers %}{{ adapter.quote(prefix ~ value ~ suffix) }}{% else %}{{ dbt_utils.slugify(prefix ~ value ~ suffix) }}{% endif %}{% endif -%}
{%- if not loop.last %},
{% endif -%}
{%- endfor -%}
{%- endmacro %}

{#- Columns turned into rows: the kept columns, the column's name in field_name and its value in value_name. -#}
{% macro unpivot(relation=none, cast_to='varchar', exclude=none, remove=none, field_name='field_name', value_name='value', quote_identifiers=False) %}{{ return(adapter.dispatch('unpivot', 'dbt_utils')(relation, cast_to, exclude, remove, field_name, value_name, quote_identifiers)) }}{% endmacro %}
{% macro default__unpivot(relation=none, cast_to='varchar', exclude=none, remove=none, field_name='field_name', value_name='value', quote_identifiers=False) -%}
{%- if not relation -%}{{ exceptions.raise_compiler_error("dbt_utils.unpivot needs a relation, as unpivot(ref('orders'), exclude=['id'])") }}{%- endif -%}
{%- if not execute -%}{{ return('') }}{%- endif -%}
{%- set excluded = (exclude or []) | map('lower') | list -%}
{%- set removed = (remove or []) | map('lower') | list -%}
{%- set kept = [] -%}
{%- set turned = [] -%}
{%- for column in adapter.get_columns_in_relation(relation) -%}
{%- if column.name | lower in excluded %}{% do kept.append(column) %}{% elif column.name | lower not in removed %}{% do turned.append(column) %}{% endif -%}
{%- endfor -%}
{%- for column in turned %}
{% if not loop.first %}union all
{% endif -%}
select
    {%- for k in kept %}
    {{ adapter.quote(k.name) if quote_identifiers else k.name }},
    {%- endfor %}
    cast('{{ column.name }}' as {{ dbt.type_string() }}) as {{ adapter.quote(field_name) if quote_identifiers else field_name }},
    cast({{ adapter.quote(column.name) if quote_identifiers else column.name }} as {{ cast_to }}) as {{ adapter.quote(value_name) if quote_identifiers else value_name }}
from {{ relation }}
{%- endfor %}
{%- endmacro %}

{#- The distinct values of a column, most frequent first, read from the warehouse; default while parsing. -#}
{% macro get_column_values(table, column, order_by='count(*) desc', max_records=none, default=none, where=none) %}{{ return(adapter.dispatch('get_column_values', 'dbt_utils')(table, column, order_by, max_records, default, where)) }}{% endmacro %}
{% macro default__get_column_values(table, column, order_by='count(*) desc', max_records=none, default=none, where=none) -%}
{%- set fallback = default if default is not none else [] -%}
{%- if not execute -%}{{ return(fallback) }}{%- endif -%}
{%- if adapter.get_columns_in_relation(table) | length == 0 -%}{{ return(fallback) }}{%- endif -%}
{%- set sql -%}
select {{ column }} as value
from {{ table }}
{% if where is not none %}where {{ where }}
{% endif -%}
group by {{ column }}
order by {{ order_by }}
{% if max_records is not none %}limit {{ max_records }}{% endif %}
{%- endset -%}
{{ return(run_query(sql).columns[0].values()) }}
{%- endmacro %}

{#- The first value of the first row of a query; default when it returns none. -#}
{% macro get_single_value(sql_statement, default=none) %}{{ return(adapter.dispatch('get_single_value', 'dbt_utils')(sql_statement, default)) }}{% endmacro %}
{% macro default__get_single_value(sql_statement, default=none) -%}
{%- if not execute -%}{{ return(default) }}{%- endif -%}
{%- set result = run_query(sql_statement) -%}
{%- if result.rows | length == 0 -%}{{ return(default) }}{%- endif -%}
{{ return(result.rows[0][0]) }}
{%- endmacro %}

{#- A query's results as a dict of column name to its list of values. -#}
{% macro get_query_results_as_dict(query) %}{{ return(adapter.dispatch('get_query_results_as_dict', 'dbt_utils')(query)) }}{% endmacro %}
{% macro default__get_query_results_as_dict(query) -%}
{%- set results = {} -%}
{%- if execute -%}
{%- set table = run_query(query) -%}
{%- for column in table.columns %}{% do results.update({column.name: column.values()}) %}{% endfor -%}
{%- endif -%}
{{ return(results) }}
{%- endmacro %}

{#- Keeps one row per partition: the first by order_by. -#}
{% macro deduplicate(relation, partition_by, order_by) %}{{ return(adapter.dispatch('deduplicate', 'dbt_utils')(relation, partition_by, order_by)) }}{% endmacro %}
{% macro default__deduplicate(relation, partition_by, order_by) -%}
select distinct on ({{ partition_by }}) *
from {{ relation }}
order by {{ partition_by }}, {{ order_by }}
{%- endmacro %}
{% macro duckdb__deduplicate(relation, partition_by, order_by) -%}
select *
from {{ relation }}
qualify row_number() over (partition by {{ partition_by }} order by {{ order_by }}) = 1
{%- endmacro %}

{#- Relations in the warehouse whose schema and name match LIKE patterns, as relations. -#}
{% macro get_relations_by_pattern(schema_pattern, table_pattern, exclude='', database=target.database) %}{{ return(adapter.dispatch('get_relations_by_pattern', 'dbt_utils')(schema_pattern, table_pattern, exclude, database)) }}{% endmacro %}
{% macro default__get_relations_by_pattern(schema_pattern, table_pattern, exclude='', database=target.database) -%}
{%- if not execute -%}{{ return([]) }}{%- endif -%}
{%- set sql -%}
select table_schema, table_name
from information_schema.tables
where table_schema ilike '{{ schema_pattern }}'
  and table_name ilike '{{ table_pattern }}'
  {% if exclude %}and table_name not ilike '{{ exclude }}'{% endif %}
order by table_schema, table_name
{%- endset -%}
{%- set relations = [] -%}
{%- for row in run_query(sql).rows -%}
{%- do relations.append(api.Relation.create(database=database, schema=row[0], identifier=row[1])) -%}
{%- endfor -%}
{{ return(relations) }}
{%- endmacro %}

{% macro get_relations_by_prefix(schema, prefix, exclude='', database=target.database) %}{{ return(dbt_utils.get_relations_by_pattern(schema, prefix ~ '%', exclude, database)) }}{% endmacro %}

{#- Empty strings as nulls, column by column. -#}
{% macro nullcheck(cols) %}{{ return(adapter.dispatch('nullcheck', 'dbt_utils')(cols)) }}{% endmacro %}
{% macro default__nullcheck(cols) -%}
{%- for col in cols %}nullif({{ col.name if col.name is defined else col }}, '') as {{ col.name if col.name is defined else col }}{{ ',' if not loop.last }}
{% endfor -%}
{%- endmacro %}

{#- The great-circle distance between two points, in miles (unit='mi') or kilometres (unit='km'). -#}
{% macro haversine_distance(lat1, lon1, lat2, lon2, unit='mi') %}{{ return(adapter.dispatch('haversine_distance', 'dbt_utils')(lat1, lon1, lat2, lon2, unit)) }}{% endmacro %}
{% macro default__haversine_distance(lat1, lon1, lat2, lon2, unit='mi') -%}
{%- if unit == 'mi' %}{% set factor = 1 %}{% elif unit == 'km' %}{% set factor = 1.60934 %}{% else %}{{ exceptions.raise_compiler_error("dbt_utils.haversine_distance: unit must be 'mi' or 'km', not '" ~ unit ~ "'") }}{% endif -%}
2 * 3961 * asin(sqrt(power((sin(radians(({{ lat2 }} - {{ lat1 }}) / 2))), 2) +
    cos(radians({{ lat1 }})) * cos(radians({{ lat2 }})) *
    power((sin(radians(({{ lon2 }} - {{ lon1 }}) / 2))), 2))) * {{ factor }}
{%- endmacro %}

{#- The value's bucket among num_buckets equal ranges from min_value to max_value. -#}
{% macro width_bucket(expr, min_value, max_value, num_buckets) %}{{ return(adapter.dispatch('width_bucket', 'dbt_utils')(expr, min_value, max_value, num_buckets)) }}{% endmacro %}
{% macro default__width_bucket(expr, min_value, max_value, num_buckets) %}width_bucket({{ expr }}, {{ min_value }}, {{ max_value }}, {{ num_buckets }}){% endmacro %}
{% macro duckdb__width_bucket(expr, min_value, max_value, num_buckets) -%}
case
    when {{ expr }} < {{ min_value }} then 0
    when {{ expr }} >= {{ max_value }} then {{ num_buckets }} + 1
    else cast(floor(({{ expr }} - {{ min_value }}) / (({{ max_value }} - {{ min_value }}) / cast({{ num_buckets }} as double))) as bigint) + 1
end
{%- endmacro %}

{#- A URL's parts: a query parameter's value, the host, the path. -#}
{% macro get_url_parameter(field, url_parameter) %}{{ return(adapter.dispatch('get_url_parameter', 'dbt_utils')(field, url_parameter)) }}{% endmacro %}
{% macro default__get_url_parameter(field, url_parameter) -%}
nullif({{ dbt.split_part(dbt.split_part(field, "'" ~ url_parameter ~ "='", 2), "'&'", 1) }}, '')
{%- endmacro %}

{% macro get_url_host(field) %}{{ return(adapter.dispatch('get_url_host', 'dbt_utils')(field)) }}{% endmacro %}
{% macro default__get_url_host(field) -%}
{{ dbt.split_part(dbt.split_part(dbt.replace(dbt.replace(field, "'http://'", "''"), "'https://'", "''"), "'/'", 1), "'?'", 1) }}
{%- endmacro %}

{% macro get_url_path(field) %}{{ return(adapter.dispatch('get_url_path', 'dbt_utils')(field)) }}{% endmacro %}
{% macro default__get_url_path(field) -%}
{%- set stripped = dbt.replace(dbt.replace(field, "'http://'", "''"), "'https://'", "''") -%}
{%- set after_host = "case when " ~ dbt.position("'/'", stripped) ~ " = 0 then '' else substring(" ~ stripped ~ " from " ~ dbt.position("'/'", stripped) ~ " + 1) end" -%}
{{ dbt.split_part(dbt.split_part(after_host, "'?'", 1), "'#'", 1) }}
{%- endmacro %}

{#- Text as a lower-case identifier: runs of other characters become one underscore. -#}
{% macro slugify(string) -%}
{%- set ns = namespace(text='', gap=false) -%}
{%- for character in string | lower -%}
{%- if character in 'abcdefghijklmnopqrstuvwxyz0123456789' %}{% set ns.text = ns.text ~ ('_' if ns.gap and ns.text else '') ~ character %}{% set ns.gap = false %}{% else %}{% set ns.gap = true %}{% endif -%}
{%- endfor -%}
{{ return(('_' ~ ns.text) if ns.text[:1] in '0123456789' and ns.text else ns.text) }}
{%- endmacro %}

{% macro log_info(message) %}{{ log(message, info=True) }}{% endmacro %}

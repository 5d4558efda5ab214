{#- What a model can learn from the warehouse while it renders, and dbt's helper functions. -#}
{%- call statement('paid', fetch_result=True) -%}
    select count(*) as n, sum(amount_cents) as cents from {{ ref('orders') }} where status = 'paid'
{%- endcall -%}
{%- set paid = load_result('paid') -%}
{%- set customers = run_query("select count(*) from " ~ ref('customers')) -%}
{%- set relation = api.Relation.create(database=target.database, schema=ref('legacy_orders').schema, identifier='legacy_orders') -%}
{%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
{%- set raw_tables = dbt_utils.get_relations_by_pattern('raw', '%orders') | map(attribute='identifier') | list -%}
{%- set settings = fromjson(tojson({'zone': var('dbt_date:time_zone'), 'pairs': zip(['a', 'b'], [1, 2])})) -%}
{%- if execute and customers.rows | length != 1 -%}
    {{ exceptions.raise_compiler_error("expected one row") }}
{%- endif %}
select
    {{ paid['data'][0][0] if execute else 0 }} as paid_orders,
    {{ paid.table.columns['cents'].values()[0] if execute else 0 }} as paid_cents,
    {{ customers.columns[0].values()[0] if execute else 0 }} as customers,
    '{{ columns | join(",") }}' as legacy_columns,
    '{{ settings.zone }}' as zone,
    '{{ settings.pairs[1][0] }}{{ settings.pairs[1][1] }}' as second_pair,
    '{{ raw_tables | join(",") }}' as raw_tables

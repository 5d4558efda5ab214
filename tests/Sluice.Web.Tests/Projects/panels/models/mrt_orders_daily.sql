-- Orders and revenue per day, tenant and region: the dashboard's table over a model.
{{ config(materialized='table') }}
select
    cast(ordered_at as date) as d,
    tenant,
    region,
    cast(count(*) as bigint) as orders,
    sum(amount) as revenue
from {{ ref('fct_orders') }}
group by 1, 2, 3

select 'except' as operation, label from (
    select label from {{ ref('measures') }} where grp = 'b'
    {{ dbt.except() }}
    select label from {{ ref('measures') }} where ord > 2
) as left_only
union all
select 'intersect' as operation, label from (
    select label from {{ ref('measures') }} where grp = 'b'
    {{ dbt.intersect() }}
    select label from {{ ref('measures') }} where ord > 2
) as in_both

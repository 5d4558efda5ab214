select
    grp,
    {{ dbt.listagg('label', "', '", 'order by ord') }} as ordered,
    {{ dbt.listagg('label', "'-'", 'order by ord desc', 2) }} as last_two,
    {{ dbt.listagg('label') }} as any_order,
    {{ dbt.any_value('label') }} as some_label,
    {{ dbt.bool_or('flag') }} as any_flag
from {{ ref('measures') }}
group by grp

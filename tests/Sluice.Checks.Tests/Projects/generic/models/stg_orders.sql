-- note: empty or blank on two rows (not_empty_string); constant: one value (not_constant);
-- nothing: no value at all (at_least_one).
select
    *,
    case when order_id = 6 then '' when order_id = 8 then '   ' else 'ok' end as note,
    'x' as constant,
    cast(null as {{ dbt.type_string() }}) as nothing
from {{ ref('orders') }}

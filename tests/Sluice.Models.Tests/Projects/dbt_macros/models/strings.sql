select
    id,
    {{ dbt.concat(['txt', "'['", 'sep', "']'"]) }} as concatenated,
    {{ dbt.hash('txt') }} as hashed,
    {{ dbt.length('txt') }} as txt_length,
    {{ dbt.position('needle', 'txt') }} as needle_at,
    {{ dbt.replace('txt', 'sep', "'+'") }} as replaced,
    {{ dbt.right('txt', 3) }} as last_three,
    {{ dbt.split_part('txt', 'sep', 'part') }} as chosen_part,
    {{ dbt.split_part('txt', 'sep', 1) }} as first_part,
    {{ dbt.split_part('txt', 'sep', -1) }} as last_part
from {{ ref('texts') }}

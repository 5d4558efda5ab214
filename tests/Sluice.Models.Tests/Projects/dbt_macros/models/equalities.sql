select
    id,
    {{ dbt.equals('left_value', 'right_value') }} as same,
    not {{ dbt.equals('left_value', 'right_value') }} as different
from {{ ref('pairs') }}

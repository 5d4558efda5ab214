select {{ dbt_utils.star(ref('stg_customers'), except=['email'], prefix='c_', rename={'full_name': 'display_name'}) }}
from {{ ref('stg_customers') }}

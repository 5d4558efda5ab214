select
    id as customer_id,
    first_name,
    last_name,
    {{ dbt.concat(["first_name", "' '", "last_name"]) }} as full_name,
    {{ shop_helpers.initials('first_name', 'last_name') }} as initials,
    nullif(email, '') as email,
    upper(country) as country
from {{ ref('customers') }}

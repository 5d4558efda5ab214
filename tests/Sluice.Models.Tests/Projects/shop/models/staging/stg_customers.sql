select
    id as customer_id,
    name as {{ 'CUSTOMER_NAME' | lower }},
    upper(country) as country_code,
    updated_at
from {{ source('shop_raw', 'customers_src') }}

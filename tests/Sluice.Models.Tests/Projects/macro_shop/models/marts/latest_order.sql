{{ dbt_utils.deduplicate(ref('stg_orders'), partition_by='customer_id', order_by='ordered_at desc, order_id desc') }}

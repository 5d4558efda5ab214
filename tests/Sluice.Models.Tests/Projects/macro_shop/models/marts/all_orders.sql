{{ dbt_utils.union_relations(relations=[ref('orders'), ref('legacy_orders')], exclude=['ordered_at']) }}

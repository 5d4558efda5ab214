{{ dbt_utils.unpivot(ref('legacy_orders'), cast_to=dbt.type_string(), exclude=['id'], field_name='field', value_name='value') }}

{% snapshot orders_snapshot %}
{{
    config(
        unique_key='id',
        strategy='timestamp',
        updated_at='updated_at',
        invalidate_hard_deletes=True
    )
}}
select * from {{ source('shop_raw', 'orders') }}
{% endsnapshot %}

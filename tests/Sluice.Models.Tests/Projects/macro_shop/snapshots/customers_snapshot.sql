{% snapshot customers_snapshot %}
{{ config(target_schema='snapshots', unique_key='id', strategy='check', check_cols=['email', 'country']) }}
select id, {{ shop_helpers.initials('first_name', 'last_name') }} as initials, email, country from {{ ref('customers') }}
{% endsnapshot %}

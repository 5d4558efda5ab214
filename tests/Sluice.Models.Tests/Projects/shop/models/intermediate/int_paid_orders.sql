-- Orders that brought money in: paid or shipped, not refunded.
select * from {{ ref('int_order_flags') }} where is_paid = 1 or is_shipped = 1

-- The amounts moved by less than half a cent: equal to amounts at a precision of 2 decimals.
select order_id, amount + 0.004 as amount from {{ ref('orders') }}

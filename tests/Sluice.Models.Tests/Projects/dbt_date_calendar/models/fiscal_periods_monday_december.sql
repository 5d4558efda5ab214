{{ dbt_date.get_fiscal_periods(ref('dim_date_retail'), 12, 2, shift_year=0) }}

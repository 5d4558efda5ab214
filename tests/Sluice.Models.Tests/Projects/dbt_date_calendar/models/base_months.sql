{{ dbt_date.get_base_dates(start_date='2023-11-30', end_date='2024-04-15', datepart='month') }}

{{ dbt_date.get_base_dates('2024-01-03', '2024-02-01', datepart='week') }}

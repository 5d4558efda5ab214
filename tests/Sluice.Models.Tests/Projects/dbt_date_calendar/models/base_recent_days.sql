{{ dbt_date.get_base_dates(n_dateparts=3, datepart='day') }}

{{ dbt_date.get_date_dimension('2019-12-20', '2021-03-05') }}

select
    generated_number,
    {{ dbt.get_powers_of_two(1) }} as powers_for_1,
    {{ dbt.get_powers_of_two(13) }} as powers_for_13,
    {{ dbt.get_powers_of_two(1024) }} as powers_for_1024,
    {{ dbt.get_powers_of_two(1025) }} as powers_for_1025
from ({{ dbt.generate_series(13) }}) as numbers

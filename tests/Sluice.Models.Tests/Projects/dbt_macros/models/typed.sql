select
    cast(null as {{ dbt.type_string() }}) as a_string,
    cast(null as {{ dbt.type_int() }}) as an_int,
    cast(null as {{ dbt.type_bigint() }}) as a_bigint,
    cast(null as {{ dbt.type_float() }}) as a_float,
    cast(null as {{ dbt.type_numeric() }}) as a_numeric,
    cast(null as {{ dbt.type_boolean() }}) as a_boolean,
    cast(null as {{ dbt.type_timestamp() }}) as a_timestamp

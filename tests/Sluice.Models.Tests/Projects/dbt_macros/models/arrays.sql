select
    array_to_string({{ dbt.array_construct(['1', '2', '3']) }}, ',') as constructed,
    array_to_string({{ dbt.array_construct(["'x'", "'y'"], dbt.type_string()) }}, ',') as constructed_text,
    array_to_string({{ dbt.array_append(dbt.array_construct(['1', '2']), '3') }}, ',') as appended,
    array_to_string({{ dbt.array_concat(dbt.array_construct(['1']), dbt.array_construct(['2', '3'])) }}, ',') as concatenated,
    array_to_string({{ dbt.array_append(dbt.array_construct([]), '7') }}, ',') as appended_to_empty,
    array_to_string({{ dbt.array_concat(dbt.array_construct([], dbt.type_string()), dbt.array_construct(["'z'"])) }}, ',') as empty_text_concatenated

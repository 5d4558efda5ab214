select
    {{ dbt.current_timestamp() }} as now_with_zone,
    {{ dbt.current_timestamp_in_utc_backcompat() }} as now_in_utc,
    {{ dbt.current_timestamp_backcompat() }} as now_in_session_zone

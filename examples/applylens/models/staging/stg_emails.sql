-- Emails as the product stores them, cleaned up: the sender's domain, the scorer's facts out of
-- features_json, the received day's calendar parts, and the risk bucket. Deleted mail is left out.
{{ config(materialized='view', schema='staging') }}

{% set json = 'json' if target.type == 'duckdb' else 'jsonb' %}

select
    id,
    received_at,
    sender,
    lower(split_part(sender, '@', 2)) as sender_domain,
    subject,
    risk_score,
    category,
    expires_at,
    cast(cast(features_json as {{ json }}) ->> 'computed_at' as timestamp) as computed_at,
    cast(features_json as {{ json }}) ->> 'source' as score_source,
    cast(cast(features_json as {{ json }}) ->> 'confidence' as double precision) as confidence,
    cast(received_at as date) as received_date,
    cast(extract(year from received_at) as integer) as received_year,
    cast(extract(month from received_at) as integer) as received_month,
    cast(extract(week from received_at) as integer) as received_week,
    cast(extract(isodow from received_at) as integer) as received_day_of_week,
    case
        when risk_score is null then 'unscored'
        when risk_score < 30 then 'low'
        when risk_score < 60 then 'medium'
        when risk_score < 90 then 'high'
        else 'critical'
    end as risk_bucket,
    updated_at
from {{ source('app', 'emails') }}
where _sluice_deleted_at is null

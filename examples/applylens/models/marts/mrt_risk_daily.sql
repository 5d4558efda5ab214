-- One row per day of received mail: volume, scoring coverage, the risk buckets, the risk score's
-- spread, the job-search categories and the five busiest sender domains. Built a day at a time;
-- a day is built again when a sync brings changed or deleted mail of that day.
{{ config(
    materialized='incremental',
    schema='marts',
    partition_by='d',
    partition_inputs=[{'source': 'app.emails', 'column': 'received_at'}]
) }}

with emails as (
    select *
    from {{ ref('stg_emails') }}
    where received_at >= cast('{{ partition_start }}' as timestamp)
      and received_at < cast('{{ partition_end }}' as timestamp)
),

domain_counts as (
    select
        received_date,
        sender_domain,
        -- Ties go to the domain first in byte order, the same on every engine and locale.
        row_number() over (
            partition by received_date
            order by count(*) desc, sender_domain{% if target.type == 'postgres' %} collate "C"{% endif %}
        ) as place
    from emails
    group by received_date, sender_domain
),

top_domains as (
    select
        received_date,
        string_agg(sender_domain, ',' order by place) as top_sender_domains
    from domain_counts
    where place <= 5
    group by received_date
),

days as (
    select
        received_date as d,
        count(*) as emails,
        count(risk_score) as emails_scored,
        count(*) filter (where risk_bucket = 'unscored') as unscored_count,
        count(*) filter (where risk_bucket = 'low') as low_risk_count,
        count(*) filter (where risk_bucket = 'medium') as medium_risk_count,
        count(*) filter (where risk_bucket = 'high') as high_risk_count,
        count(*) filter (where risk_bucket = 'critical') as critical_risk_count,
        avg(risk_score) as avg_risk,
        min(risk_score) as min_risk,
        max(risk_score) as max_risk,
        count(*) filter (where category = 'recruiter') as recruiter_count,
        count(*) filter (where category = 'interview') as interview_count,
        count(*) filter (where category = 'offer') as offer_count,
        count(*) filter (where category = 'rejection') as rejection_count
    from emails
    group by received_date
)

select
    days.d,
    days.emails,
    days.emails_scored,
    days.unscored_count,
    days.low_risk_count,
    days.medium_risk_count,
    days.high_risk_count,
    days.critical_risk_count,
    days.avg_risk,
    days.min_risk,
    days.max_risk,
    days.recruiter_count,
    days.interview_count,
    days.offer_count,
    days.rejection_count,
    top_domains.top_sender_domains,
    cast(days.emails_scored as double precision) * 100 / days.emails as coverage_pct,
    cast(days.high_risk_count as double precision) * 100 / days.emails as high_risk_pct,
    cast(days.critical_risk_count as double precision) * 100 / days.emails as critical_risk_pct
from days
left join top_domains on top_domains.received_date = days.d

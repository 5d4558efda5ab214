-- The seed's user_events_ch: each step an enrollment reached — enrolled, matched, completed — as
-- an event with its time, which the program_journey funnel (metrics.yml) follows per user.
{{ config(materialized='table', schema='marts') }}

select enrollment_id, company_id, user_id, program, 'enrolled' as event_name, enrolled_at as occurred_at
from {{ ref('stg_program_enrollments') }}

union all

select enrollment_id, company_id, user_id, program, 'matched' as event_name, matched_at as occurred_at
from {{ ref('stg_program_enrollments') }}
where matched_at is not null

union all

select enrollment_id, company_id, user_id, program, 'completed' as event_name, completed_at as occurred_at
from {{ ref('stg_program_enrollments') }}
where completed_at is not null

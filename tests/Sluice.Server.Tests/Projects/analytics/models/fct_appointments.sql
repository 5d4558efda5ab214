{{ config(materialized='view') }}
select id, company_id, patient_id, appointment_status, doctor_name, appointment_date, fee, note
from {{ source('app', 'appointments') }}

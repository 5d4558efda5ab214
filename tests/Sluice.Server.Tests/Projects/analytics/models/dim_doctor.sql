{{ config(materialized='table') }}
select distinct company_id, doctor_name,
    case when doctor_name in ('Dr Ames', 'Dr Bell') then 'general' else 'surgery' end as specialty
from {{ source('app', 'appointments') }}

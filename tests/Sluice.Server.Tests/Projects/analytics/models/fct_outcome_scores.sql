{{ config(materialized='table', rollups=[
    {'grain': 'day', 'time': 'created_at', 'dimensions': ['program', 'company_id'], 'measures': ['score']},
    {'grain': 'month', 'time': 'created_at', 'measures': ['score']}]) }}
select id, company_id, program, dimension, created_at, score, note
from {{ source('app', 'scores') }}

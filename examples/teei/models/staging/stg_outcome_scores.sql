-- The Q2Q classifier's outcome scores as synced: one per scored dimension of a user's text. A
-- re-scored text keeps its row (and created_at) with the new score.
{{ config(materialized='view', schema='staging') }}

select
    id as score_id,
    company_id,
    user_id,
    text_id,
    text_type,
    dimension,
    score,
    confidence,
    model_version,
    created_at,
    updated_at
from {{ source('platform', 'outcome_scores') }}
where _sluice_deleted_at is null

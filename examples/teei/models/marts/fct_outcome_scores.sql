-- The seed's outcome_scores_ch: a row per outcome score, built one day (score_date, the UTC day
-- the score was made) at a time. A re-score synced later builds its day again
-- (partition_inputs). The day rollup stands for the seed's daily, weekly and monthly
-- materialized views: the server answers trends of any granularity from it (docs/serve.md#rollups).
-- On ClickHouse the table is, like the seed's, a MergeTree kept in (company, day, dimension)
-- order, partitioned by day here, with dimension and text_type as LowCardinality(String); DuckDB
-- and PostgreSQL ignore order_by and low_cardinality (docs/models.md#table-layout).
{{ config(
    materialized='incremental',
    schema='marts',
    tags=['scores'],
    partition_by='score_date',
    order_by=['company_id', 'score_date', 'dimension'],
    low_cardinality=['dimension', 'text_type'],
    partition_inputs=[{'source': 'platform.outcome_scores', 'column': 'created_at'}],
    rollups=[{'grain': 'day', 'time': 'score_date', 'dimensions': ['company_id', 'dimension', 'text_type'], 'measures': ['score']}]
) }}

select
    score_id,
    company_id,
    user_id,
    text_id,
    text_type,
    dimension,
    score,
    confidence,
    model_version,
    created_at,
    cast(created_at as date) as score_date
from {{ ref('stg_outcome_scores') }}
where created_at >= timestamp '{{ partition_start }} 00:00:00'
  and created_at < timestamp '{{ partition_end }} 00:00:00'

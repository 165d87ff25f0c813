-- materialized: view
-- The latest vintage of every fact: what every other model reads.
SELECT region_code, period, indicator, value, missing_reason, status, vintage, source, source_row, loaded_at, note,
       CAST(left(period, 4) AS INTEGER) AS year,
       CASE WHEN length(period) = 7 THEN CAST(right(period, 2) AS INTEGER) END AS month
FROM facts
QUALIFY row_number() OVER (PARTITION BY region_code, period, indicator ORDER BY vintage DESC) = 1

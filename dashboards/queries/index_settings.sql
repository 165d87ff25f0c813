-- The composite index's normalisation window and coverage rule (one row).
SELECT CAST(first_year AS INTEGER), CAST(last_year AS BIGINT), CAST(min_weight_share AS DOUBLE)
FROM index_settings
LIMIT 1

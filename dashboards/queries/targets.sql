-- The targets as loaded (data, not code): shown when target_progress is not built yet.
SELECT region_code, CAST(year AS INTEGER), indicator, target_kind, CAST(target_value AS DOUBLE),
       CAST(target_max AS DOUBLE), coalesce(baseline_period, ''), description_zh, source
FROM targets
ORDER BY region_code, year, indicator, target_kind

-- target_progress: every target at every as-of period of its year.
SELECT region_code, region_name, CAST(year AS INTEGER), as_of_period, CAST(as_of_month AS INTEGER), indicator,
       target_kind, description_zh, CAST(target_value AS DOUBLE), CAST(target_max AS DOUBLE),
       baseline_period, CAST(baseline_value AS DOUBLE), CAST(current_value AS DOUBLE), CAST(actual_value AS DOUBLE),
       CAST(province_value AS DOUBLE), CAST(completion_pct AS DOUBLE), CAST(time_progress_pct AS DOUBLE),
       CAST(ahead_points AS DOUBLE), status, missing_reason,
       CAST(needed_value AS DOUBLE), measure_note
FROM target_progress
ORDER BY region_code, year, indicator, target_kind, as_of_period

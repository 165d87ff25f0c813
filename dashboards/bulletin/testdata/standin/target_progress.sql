-- Every target at every period of its year with data.
CREATE TABLE target_progress AS
WITH f AS (SELECT city_code, province_code FROM focus LIMIT 1),
cur AS (
    SELECT t.*, r.name AS region_name, iv.period AS as_of_period, coalesce(iv.month, 12) AS as_of_month,
           iv.value AS current_value, iv.missing_reason
    FROM targets t
    JOIN regions r ON r.code = t.region_code
    JOIN indicator_values iv ON iv.region_code = t.region_code AND iv.indicator = t.indicator AND iv.year = t.year
),
calc AS (
    SELECT c.*, b.value AS baseline_value, pv.value AS province_value,
           CASE c.target_kind
               WHEN 'total' THEN c.current_value
               WHEN 'ytd_count' THEN c.current_value
               WHEN 'above_province' THEN c.current_value - pv.value
               ELSE c.current_value - b.value
           END AS actual_value
    FROM cur c
    CROSS JOIN f
    LEFT JOIN indicator_values b ON b.region_code = c.region_code AND b.indicator = c.indicator AND b.period = c.baseline_period
    LEFT JOIN indicator_values pv ON pv.region_code = f.province_code AND pv.indicator = c.indicator AND pv.period = c.as_of_period
),
pct AS (
    SELECT calc.*,
           CASE WHEN target_value IS NOT NULL AND target_value <> 0 THEN actual_value / target_value * 100 END AS completion_pct,
           as_of_month / 12 * 100 AS time_progress_pct
    FROM calc
)
SELECT region_code, region_name, year, as_of_period, as_of_month, indicator, target_kind, description_zh,
       target_value, target_max, baseline_period, baseline_value, current_value, actual_value, province_value,
       completion_pct, time_progress_pct, completion_pct - time_progress_pct AS ahead_points,
       CASE WHEN actual_value IS NULL THEN 'missing'
            WHEN target_value IS NULL THEN CASE WHEN actual_value > 0 THEN 'met' ELSE 'behind' END
            WHEN actual_value >= target_value THEN 'met'
            WHEN completion_pct >= time_progress_pct THEN 'ahead'
            ELSE 'behind' END AS status,
       CASE WHEN actual_value IS NULL THEN coalesce(missing_reason, '基期数据缺失') END AS missing_reason
FROM pct;

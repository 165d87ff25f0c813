-- Every target of the focus city ($1) for the year ($2), with its progress
-- at the bulletin's month ($3) when target_progress has a row for it. An
-- annual indicator's target is judged on the year's figure: in the
-- December bulletin, when that figure is loaded (the dashboard's as-of).
SELECT t.indicator, t.target_kind, t.description_zh, i.unit, i.decimals, i.frequency = 'annual', t.target_value,
       p.as_of_month, p.actual_value, p.completion_pct, p.time_progress_pct, p.ahead_points, p.status, p.missing_reason,
       p.current_value, p.needed_value, p.measure_note, p.as_of_period
FROM targets t
JOIN indicators i ON i.code = t.indicator
LEFT JOIN target_progress p
       ON p.region_code = t.region_code AND p.year = t.year AND p.indicator = t.indicator
      AND p.target_kind = t.target_kind
      AND p.as_of_period = CASE WHEN i.frequency <> 'annual' THEN $3
                                WHEN right($3, 2) = '12' THEN CAST(t.year AS VARCHAR) END
WHERE t.region_code = $1 AND t.year = $2
ORDER BY i.sort_order, t.indicator, t.target_kind

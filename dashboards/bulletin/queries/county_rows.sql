-- The counties and zones (administrative order) and the city, for one
-- indicator and period.
SELECT c.region_code, c.region_name, c.level, c.value, c.unit, c.decimals, c.province_value, c.comparison_basis,
       c.gap, c.rank, c.peer_count, c.missing_reason, c.yoy, c.yoy_unit, c.prev_rank, c.rank_change,
       coalesce(c.rank_tied, false), c.rank_note, c.rank_change_note
FROM county_vs_province c
LEFT JOIN regions r ON r.code = c.region_code
WHERE c.indicator = $1 AND c.period = $2
ORDER BY c.level = 'city', coalesce(r.sort_order, 0), c.region_code

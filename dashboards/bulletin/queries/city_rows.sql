-- The province's cities ranked on one indicator and period; missing last.
SELECT region_code, region_name, value, unit, decimals, rank, peer_count, province_value, coalesce(is_focus, false)
FROM city_ranking
WHERE indicator = $1 AND period = $2
ORDER BY rank NULLS LAST, region_code

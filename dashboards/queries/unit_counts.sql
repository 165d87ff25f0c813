-- The divisors of the per-unit provincial averages for the province ($1).
SELECT level, CAST(year AS INTEGER), CAST(n AS INTEGER), coalesce(source, '')
FROM unit_counts
WHERE region_code = $1
ORDER BY level, year

-- Every region's comparison with the province for one indicator ($1) and period ($2).
SELECT region_code, region_name, level,
       CAST(value AS DOUBLE), CAST(province_value AS DOUBLE), CAST(gap AS DOUBLE), CAST(index_vs_province AS DOUBLE),
       CAST(rank AS INTEGER), CAST(peer_count AS INTEGER),
       comparison_basis, unit, CAST(decimals AS INTEGER), missing_reason
FROM county_vs_province
WHERE indicator = $1 AND period = $2
ORDER BY region_code

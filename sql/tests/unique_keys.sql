-- severity: error
-- description: 每个集市的主键唯一 / every mart has one row per key
-- The key is spelled out only for the offending rows. monthly_values (a view)
-- is not listed: it joins indicator_values on its unique key, so it inherits
-- the uniqueness checked here, and evaluating the view costs a build ~10 ms.
SELECT 'indicator_values' AS mart, concat_ws('|', region_code, period, indicator) AS key, count(*) AS n
FROM indicator_values GROUP BY region_code, period, indicator HAVING count(*) > 1
UNION ALL
SELECT 'county_vs_province', concat_ws('|', region_code, period, indicator), count(*)
FROM county_vs_province GROUP BY region_code, period, indicator HAVING count(*) > 1
UNION ALL
SELECT 'city_ranking', concat_ws('|', region_code, period, indicator), count(*)
FROM city_ranking GROUP BY region_code, period, indicator HAVING count(*) > 1
UNION ALL
SELECT 'target_progress', concat_ws('|', region_code, year, indicator, target_kind, as_of_period), count(*)
FROM target_progress GROUP BY region_code, year, indicator, target_kind, as_of_period HAVING count(*) > 1
UNION ALL
SELECT 'innovation_index', concat_ws('|', region_code, year), count(*)
FROM innovation_index GROUP BY region_code, year HAVING count(*) > 1
UNION ALL
SELECT 'innovation_index_components', concat_ws('|', region_code, year, indicator), count(*)
FROM innovation_index_components GROUP BY region_code, year, indicator HAVING count(*) > 1

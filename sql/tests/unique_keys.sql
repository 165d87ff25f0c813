-- severity: error
-- description: 每个集市的主键唯一 / every mart has one row per key
-- The key is spelled out only for the offending rows.
-- indicator_values is unique by construction: it is a FULL JOIN on the key
-- of facts_latest (one row per key: row_number() = 1) and the computed
-- ratios (GROUP BY the key); grouping its 4.9 M rows was nearly all of this
-- test's time (national, load 10: 4.6–6.8 s; now 17–96 ms). Checked by
-- TestIndicatorValuesOneRowPerKey. monthly_values (a view)
-- joins indicator_values on that key, so it inherits the uniqueness.
SELECT 'county_vs_province' AS mart, concat_ws('|', region_code, period, indicator) AS key, count(*) AS n
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

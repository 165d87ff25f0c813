-- severity: error
-- description: 枚举列只取约定值 / enumerated columns hold only their documented values
SELECT 'indicator_values' AS mart, 'derivation' AS col, derivation AS value, count(*) AS n
FROM indicator_values WHERE derivation NOT IN ('reported', 'computed', 'missing') OR status NOT IN ('provisional', 'final')
GROUP BY ALL
UNION ALL
SELECT 'county_vs_province', 'level/comparison_basis/yoy_unit', level || '/' || comparison_basis || '/' || yoy_unit, count(*)
FROM county_vs_province
WHERE level NOT IN ('county', 'zone', 'city') OR comparison_basis NOT IN ('ratio', 'per_unit')
   OR yoy_unit <> CASE WHEN kind = 'ratio' THEN '百分点' ELSE '%' END
GROUP BY ALL
UNION ALL
SELECT 'city_ranking', 'tier', CAST(tier AS VARCHAR), count(*)
FROM city_ranking WHERE tier IS NOT NULL AND tier NOT IN (SELECT tier FROM tier_cutoffs)
GROUP BY ALL
UNION ALL
SELECT 'target_progress', 'status/target_kind', status || '/' || target_kind, count(*)
FROM target_progress
WHERE status NOT IN ('met', 'ahead', 'on_pace', 'behind', 'not_met', 'on_track', 'off_track', 'missing')
   OR target_kind NOT IN ('total', 'net_increase', 'new_count', 'point_increase', 'above_province', 'ytd_count', 'count_this_year')
GROUP BY ALL
UNION ALL
SELECT 'innovation_index', 'performance_group', performance_group, count(*)
FROM innovation_index WHERE performance_group NOT IN (SELECT code FROM index_groups)
   OR (index_vs_province IS NOT NULL AND performance_group IS NULL)
GROUP BY ALL

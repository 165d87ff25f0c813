-- severity: error
-- description: 位次、进度、归一化值在有效范围内；数值在目录规定范围内 / ranks, progress and normalised values in range; values within the catalog's valid range
SELECT 'indicator_values' AS mart, region_code || '|' || period || '|' || iv.indicator AS key,
       format('value {} outside [{}, {}]', value, valid_min, valid_max) AS problem
FROM indicator_values iv JOIN indicators i ON i.code = iv.indicator
WHERE value < valid_min OR value > valid_max
UNION ALL
SELECT 'county_vs_province', region_code || '|' || period || '|' || indicator, format('rank {} of {}', rank, peer_count)
FROM county_vs_province WHERE rank < 1 OR rank > peer_count
UNION ALL
SELECT 'city_ranking', region_code || '|' || period || '|' || indicator, format('rank {} of {}', rank, peer_count)
FROM city_ranking WHERE rank < 1 OR rank > peer_count OR peer_count > (SELECT count(*) FROM regions WHERE level = 'city')
UNION ALL
SELECT 'target_progress', region_code || '|' || indicator || '|' || target_kind || '|' || as_of_period,
       format('month {}, time progress {}', as_of_month, time_progress_pct)
FROM target_progress WHERE as_of_month NOT BETWEEN 1 AND 12 OR time_progress_pct <= 0 OR time_progress_pct > 100
UNION ALL
SELECT 'innovation_index_components', region_code || '|' || year || '|' || indicator, format('normalised {}', normalised)
FROM innovation_index_components WHERE normalised < 0 OR normalised > 1
UNION ALL
SELECT 'innovation_index', region_code || '|' || year, format('score {}, rank {} of {}', score, rank, peer_count)
FROM innovation_index WHERE score < 0 OR score > 100 OR rank < 1 OR rank > peer_count

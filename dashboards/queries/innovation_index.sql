-- innovation_index: the composite index per region and year.
SELECT region_code, region_name, level, CAST(year AS INTEGER), CAST(score AS DOUBLE),
       CAST(index_vs_province AS DOUBLE), performance_group, group_zh, missing_reason,
       CAST(components AS BIGINT), CAST(rank AS BIGINT), CAST(peer_count AS BIGINT)
FROM innovation_index
ORDER BY year, region_code

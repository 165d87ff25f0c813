-- innovation_index_components: each indicator's part of the composite index.
SELECT region_code, CAST(year AS INTEGER), indicator, CAST(raw_value AS DOUBLE), CAST(normalised AS DOUBLE), CAST(weight AS DOUBLE)
FROM innovation_index_components
ORDER BY year, region_code, indicator

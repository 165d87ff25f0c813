-- innovation_index_components: each indicator's part of the composite index.
SELECT region_code, indicator, CAST(year AS INTEGER), period, missing_reason,
       CAST(raw_value AS DOUBLE), CAST(intensity_value AS DOUBLE), CAST(normalised AS DOUBLE), CAST(weight AS DOUBLE)
FROM innovation_index_components
ORDER BY year, region_code, indicator

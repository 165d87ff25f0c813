-- county_vs_province's changes against the same period a year earlier (models issue columns).
SELECT region_code, period, indicator,
       CAST(prev_value AS DOUBLE), CAST(yoy AS DOUBLE), yoy_unit,
       CAST(prev_rank AS INTEGER), CAST(rank_change AS INTEGER), rank_change_note
FROM county_vs_province

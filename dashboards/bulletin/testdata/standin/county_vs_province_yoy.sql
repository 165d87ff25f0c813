-- county_vs_province plus 同比 and the rank a year earlier.
CREATE TABLE cvp_standin AS
SELECT c.*,
       p.value AS prev_value,
       CASE WHEN c.value IS NULL OR p.value IS NULL THEN NULL
            WHEN i.kind = 'ratio' THEN c.value - p.value
            WHEN p.value <> 0 THEN (c.value / p.value - 1) * 100 END AS yoy,
       CASE WHEN i.kind = 'ratio' THEN '百分点' ELSE '%' END AS yoy_unit,
       p.rank AS prev_rank,
       CAST(p.rank - c.rank AS INTEGER) AS rank_change
FROM county_vs_province c
JOIN indicators i ON i.code = c.indicator
LEFT JOIN county_vs_province p
       ON p.region_code = c.region_code AND p.indicator = c.indicator
      AND p.period = CAST(CAST(left(c.period, 4) AS INTEGER) - 1 AS VARCHAR) || substr(c.period, 5);
DROP TABLE county_vs_province;
ALTER TABLE cvp_standin RENAME TO county_vs_province;

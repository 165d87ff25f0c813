-- How many staged facts are new keys, and how many revise the latest vintage.
WITH latest AS (
    SELECT f.region_code, f.period, f.indicator, f.value, f.status
    FROM facts f SEMI JOIN temp.stage_facts s USING (region_code, period, indicator)
    QUALIFY row_number() OVER (PARTITION BY f.region_code, f.period, f.indicator ORDER BY f.vintage DESC) = 1
)
SELECT count(*) FILTER (WHERE l.region_code IS NULL),
       count(*) FILTER (WHERE l.region_code IS NOT NULL
                          AND (l.value IS DISTINCT FROM s.value OR l.status IS DISTINCT FROM s.status))
FROM temp.stage_facts s
LEFT JOIN latest l USING (region_code, period, indicator)

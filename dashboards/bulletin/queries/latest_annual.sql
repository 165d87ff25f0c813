-- The latest year up to $2 in which the focus city has a value of
-- indicator $1 ($2 is ReportYear of the bulletin's month: the newest year
-- a report on that month can state, as the dashboard states it).
SELECT max(CAST(c.period AS INTEGER))
FROM county_vs_province c
JOIN focus f ON c.region_code = f.city_code
WHERE c.indicator = $1 AND length(c.period) = 4 AND c.value IS NOT NULL
  AND CAST(c.period AS INTEGER) <= $2

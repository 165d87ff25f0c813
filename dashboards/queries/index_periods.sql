-- Periods that hold at least one reported value of the indicator ($1).
SELECT DISTINCT period
FROM county_vs_province
WHERE indicator = $1 AND value IS NOT NULL

-- The latest value of one fact, to check a total row against the city's own
-- figure. Parameters: region code, period, indicator.
SELECT value FROM facts
WHERE region_code = ? AND period = ? AND indicator = ? AND value IS NOT NULL
ORDER BY vintage DESC
LIMIT 1

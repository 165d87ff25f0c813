-- Which of the wanted regions (all when the list is empty) have a value of
-- the indicator for the expected period or a later one of the same length
-- ('YYYY-MM' for monthly periods, 'YYYY' for annual ones). A later monthly
-- period of a year-to-date flow covers the earlier months.
-- $1 indicator, $2 expected period, $3 wanted region codes (VARCHAR[]).
SELECT region_code, max(period) AS latest
FROM facts
WHERE indicator = $1
  AND value IS NOT NULL
  AND length(period) = length($2)
  AND period >= $2
  AND (len($3) = 0 OR list_contains($3, region_code))
GROUP BY region_code
ORDER BY region_code

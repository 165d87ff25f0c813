-- The source files of the facts a bulletin uses (same arguments as vintage.sql).
SELECT DISTINCT f.source
FROM facts f
JOIN indicator_values iv
  ON iv.region_code = f.region_code AND iv.period = f.period AND iv.indicator = f.indicator AND iv.vintage = f.vintage
WHERE list_contains(string_split($1, ','), f.indicator)
  AND list_contains(string_split($2, ','), f.period)
  AND list_contains(string_split($3, ','), f.region_code)
ORDER BY 1

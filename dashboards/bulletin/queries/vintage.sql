-- The vintage of the facts a bulletin uses: the indicator_values rows of
-- the given indicators ($1), periods ($2) and regions ($3), each a
-- comma-separated list. Returns the largest vintage, the distinct vintages
-- (load ids), the number of values, and how many latest facts in the same
-- key space the marts do not reflect yet (loaded after the last build).
WITH used AS (
    SELECT region_code, period, indicator, vintage
    FROM indicator_values
    WHERE list_contains(string_split($1, ','), indicator)
      AND list_contains(string_split($2, ','), period)
      AND list_contains(string_split($3, ','), region_code)
      AND vintage IS NOT NULL
),
stale AS (
    SELECT count(*) AS n
    FROM facts_latest f
    WHERE list_contains(string_split($1, ','), f.indicator)
      AND list_contains(string_split($2, ','), f.period)
      AND list_contains(string_split($3, ','), f.region_code)
      AND NOT EXISTS (SELECT 1 FROM indicator_values iv
                      WHERE iv.region_code = f.region_code AND iv.period = f.period
                        AND iv.indicator = f.indicator AND iv.vintage = f.vintage)
)
SELECT coalesce(max(u.vintage), 0),
       coalesce(array_to_string(list_sort(list(DISTINCT u.vintage)), ','), ''),
       count(*),
       (SELECT n FROM stale)
FROM used u

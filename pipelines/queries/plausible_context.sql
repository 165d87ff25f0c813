-- The latest warehouse value of every fact the plausibility checks compare a
-- file with: the file's regions and their parents ($1), and the children of
-- those, for the file's indicators and their partners ($2), in the file's
-- periods, a year and a month earlier ($3). Missing values are left out.
WITH keep AS (SELECT unnest($1::VARCHAR[]) AS code),
wanted AS (
    SELECT code FROM keep
    UNION
    SELECT r.code FROM regions r WHERE r.parent_code IN (SELECT code FROM keep)
),
latest AS (
    SELECT f.region_code, f.period, f.indicator, f.value
    FROM facts f
    WHERE f.region_code IN (SELECT code FROM wanted)
      AND f.indicator IN (SELECT unnest($2::VARCHAR[]))
      AND f.period IN (SELECT unnest($3::VARCHAR[]))
    QUALIFY row_number() OVER (PARTITION BY f.region_code, f.period, f.indicator ORDER BY f.vintage DESC) = 1
)
SELECT region_code, period, indicator, value FROM latest WHERE value IS NOT NULL

-- severity: error
-- description: 派生比率等于分子÷分母×系数（各级均重算） / a derived ratio equals numerator ÷ denominator × scale, at every level
-- The parts are reported indicators: indicator_values holds them as loaded.
-- One scan of the ratio indicators and their parts, grouped by region and
-- period: no join on the three-column key (three scans and two such joins
-- cost 3× as much at national scale). Keys are unique (unique_keys), so each
-- max() below is the one value of its part, or NULL when it is absent.
-- The parts are found by an equality join on a small table of roles (each
-- ratio as itself, its numerator, its denominator) rather than
-- `v.indicator IN (r.indicator, r.numerator, r.denominator)`, which DuckDB
-- runs as a nested-loop join over every row (province, fastest of 5, three
-- rounds: 88–109 → 17–39 ms).
WITH r AS (
    SELECT code AS indicator, numerator, denominator, scale
    FROM indicators
    WHERE numerator IS NOT NULL
),
roles AS (
    SELECT indicator AS ratio, indicator AS part, 'got' AS role FROM r
    UNION ALL
    SELECT indicator, numerator, 'num' FROM r
    UNION ALL
    SELECT indicator, denominator, 'den' FROM r
),
parts AS (
    SELECT ro.ratio AS indicator, v.region_code, v.period,
           max(v.value) FILTER (WHERE ro.role = 'num') AS num,
           max(v.value) FILTER (WHERE ro.role = 'den') AS den,
           max(v.value) FILTER (WHERE ro.role = 'got') AS got,
           max(v.derivation) FILTER (WHERE ro.role = 'got') AS derivation
    FROM roles ro
    JOIN indicator_values v ON v.indicator = ro.part
    GROUP BY ro.ratio, v.region_code, v.period
),
expected AS (
    SELECT p.*, p.num / p.den * r.scale AS expected
    FROM parts p
    JOIN r USING (indicator)
    WHERE p.num IS NOT NULL AND p.den IS NOT NULL AND p.den <> 0
)
SELECT region_code, period, indicator, expected, got, derivation
FROM expected
WHERE got IS NULL OR derivation <> 'computed' OR abs(got - expected) > 1e-9 * greatest(1, abs(expected))

-- severity: error
-- description: 派生比率等于分子÷分母×系数（各级均重算） / a derived ratio equals numerator ÷ denominator × scale, at every level
-- The parts are reported indicators: indicator_values holds them as loaded.
-- One scan of the ratio indicators and their parts, grouped by region and
-- period: no join on the three-column key (three scans and two such joins
-- cost 3× as much at national scale). Keys are unique (unique_keys), so each
-- max() below is the one value of its part, or NULL when it is absent.
WITH r AS (
    SELECT code AS indicator, numerator, denominator, scale
    FROM indicators
    WHERE numerator IS NOT NULL
),
parts AS (
    SELECT r.indicator, v.region_code, v.period,
           max(v.value) FILTER (WHERE v.indicator = r.numerator) AS num,
           max(v.value) FILTER (WHERE v.indicator = r.denominator) AS den,
           max(v.value) FILTER (WHERE v.indicator = r.indicator) AS got,
           max(v.derivation) FILTER (WHERE v.indicator = r.indicator) AS derivation,
           any_value(r.scale) AS scale
    FROM r
    JOIN indicator_values v ON v.indicator IN (r.indicator, r.numerator, r.denominator)
    GROUP BY r.indicator, v.region_code, v.period
),
expected AS (
    SELECT *, num / den * scale AS expected
    FROM parts
    WHERE num IS NOT NULL AND den IS NOT NULL AND den <> 0
)
SELECT region_code, period, indicator, expected, got, derivation
FROM expected
WHERE got IS NULL OR derivation <> 'computed' OR abs(got - expected) > 1e-9 * greatest(1, abs(expected))

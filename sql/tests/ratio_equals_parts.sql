-- severity: error
-- description: 派生比率等于分子÷分母×系数（各级均重算） / a derived ratio equals numerator ÷ denominator × scale, at every level
-- The parts are reported indicators: indicator_values holds them as loaded.
-- Numerators and denominators are selected first and joined on their full
-- key: joining the catalog to indicator_values twice on the indicator alone
-- made DuckDB build a huge intermediate at national scale (20 s → 1 s).
WITH n AS (
    SELECT i.code AS indicator, i.denominator, i.scale, v.region_code, v.period, v.value
    FROM indicators i
    JOIN indicator_values v ON v.indicator = i.numerator
    WHERE v.value IS NOT NULL
),
d AS (
    SELECT v.indicator, v.region_code, v.period, v.value
    FROM indicator_values v
    WHERE v.value IS NOT NULL AND v.value <> 0 AND v.indicator IN (SELECT denominator FROM indicators)
),
parts AS (
    SELECT n.indicator, n.region_code, n.period, n.value / d.value * n.scale AS expected
    FROM n
    JOIN d ON d.indicator = n.denominator AND d.region_code = n.region_code AND d.period = n.period
)
SELECT p.region_code, p.period, p.indicator, p.expected, iv.value AS got, iv.derivation
FROM parts p
LEFT JOIN indicator_values iv USING (region_code, period, indicator)
WHERE iv.value IS NULL OR iv.derivation <> 'computed' OR abs(iv.value - p.expected) > 1e-9 * greatest(1, abs(p.expected))

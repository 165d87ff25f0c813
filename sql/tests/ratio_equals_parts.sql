-- severity: error
-- description: 派生比率等于分子÷分母×系数（各级均重算） / a derived ratio equals numerator ÷ denominator × scale, at every level
-- The parts are reported indicators: indicator_values holds them as loaded.
WITH parts AS (
    SELECT i.code AS indicator, n.region_code, n.period, n.value / d.value * i.scale AS expected
    FROM indicators i
    JOIN indicator_values n ON n.indicator = i.numerator
    JOIN indicator_values d ON d.indicator = i.denominator AND d.region_code = n.region_code AND d.period = n.period
    WHERE n.value IS NOT NULL AND d.value IS NOT NULL AND d.value <> 0
)
SELECT p.region_code, p.period, p.indicator, p.expected, iv.value AS got, iv.derivation
FROM parts p
LEFT JOIN indicator_values iv USING (region_code, period, indicator)
WHERE iv.value IS NULL OR iv.derivation <> 'computed' OR abs(iv.value - p.expected) > 1e-9 * greatest(1, abs(p.expected))

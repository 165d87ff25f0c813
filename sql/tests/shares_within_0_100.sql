-- severity: error
-- description: 百分比比率（占比、强度）在0–100之间 / percentage ratios (shares, intensities) lie within 0–100
SELECT iv.region_code, iv.period, iv.indicator, iv.value, iv.derivation
FROM indicator_values iv
JOIN indicators i ON i.code = iv.indicator
WHERE i.kind = 'ratio' AND i.unit = '%' AND (iv.value < 0 OR iv.value > 100)

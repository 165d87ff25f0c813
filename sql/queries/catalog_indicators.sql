-- The catalog as the pipelines see it, in display order.
SELECT code, name_zh, name_en, unit, kind, flow, frequency, better,
       valid_min, valid_max, comparison_basis, numerator, denominator, scale, decimals
FROM indicators
ORDER BY sort_order, code

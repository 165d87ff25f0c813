-- The indicators a bulletin reports, in catalog order.
SELECT code, name_zh, unit, kind, flow, frequency, comparison_basis, decimals, definition_zh
FROM indicators
WHERE headline
ORDER BY sort_order, code

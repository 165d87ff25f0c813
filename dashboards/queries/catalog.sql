-- The indicator catalog with its English texts, in display order.
SELECT i.code, i.name_zh, i.name_en, i.unit, i.kind, i.flow, i.frequency, i.better, i.comparison_basis,
       coalesce(i.numerator, ''), coalesce(i.denominator, ''), CAST(i.scale AS DOUBLE), CAST(i.decimals AS INTEGER),
       i.headline, coalesce(i.definition_zh, ''), coalesce(d.definition_en, '')
FROM indicators i
LEFT JOIN indicator_definitions_en d ON d.indicator = i.code
ORDER BY i.sort_order, i.code

-- The components of the composite index and their parameters, in catalog order.
SELECT p.indicator, CAST(p.weight AS DOUBLE), p.transform, p.per_indicator, CAST(p.per_scale AS DOUBLE), p.label_zh, p.note
FROM index_parameters p
LEFT JOIN indicators i ON i.code = p.indicator
ORDER BY i.sort_order, p.indicator

-- Every region with its English name, in display order.
SELECT r.code, r.name, r.level, coalesce(r.parent_code, ''), coalesce(e.name_en, '')
FROM regions r
LEFT JOIN region_names_en e ON e.region_code = r.code
ORDER BY r.sort_order, r.code

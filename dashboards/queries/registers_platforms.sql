-- Platforms of the focus city by level and type at the latest year of the register.
WITH latest AS (SELECT max(year) AS y FROM platform_counts)
SELECT p.year, p.indicator, p.level, p.platform_type_zh, p.active_end, p.new_in_year, p.revoked_in_year
FROM platform_counts p JOIN latest ON p.year = latest.y
JOIN platform_types t ON t.key = p.platform_type
WHERE p.region_code = ?
ORDER BY p.indicator DESC, CASE p.level WHEN 'national' THEN 1 WHEN 'provincial' THEN 2 ELSE 3 END, t.sort_order

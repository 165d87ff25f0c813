-- Synthetic county-level regions 900000 + i under the province, so that the
-- generated facts validate. Parameter: the number of regions.
INSERT OR IGNORE INTO regions (code, name, short_name, level, parent_code, sort_order)
SELECT (900000 + i)::VARCHAR, '合成县' || i, NULL, 'county', '370000', 100000 + i
FROM range(?) t (i)

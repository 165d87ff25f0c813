-- The performance groups by index (province = 100), highest first.
SELECT code, name_zh, name_en, CAST(min_index AS DOUBLE)
FROM index_groups
ORDER BY sort_order, code

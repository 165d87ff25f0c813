-- The focus city (whose bulletin this is) and its province.
SELECT f.city_code, r.name, f.province_code
FROM focus f
JOIN regions r ON r.code = f.city_code
LIMIT 1

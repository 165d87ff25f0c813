-- The focus city and its province.
SELECT city_code, province_code FROM focus LIMIT 1

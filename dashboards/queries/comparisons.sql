-- county_vs_province: the focus city's counties, zones and the city against the province.
SELECT region_code, region_name, level, period, indicator,
       CAST(value AS DOUBLE), unit, CAST(decimals AS INTEGER),
       CAST(province_value AS DOUBLE), comparison_basis, CAST(units_in_province AS INTEGER),
       CAST(gap AS DOUBLE), CAST(index_vs_province AS DOUBLE), above_province,
       CAST(rank AS INTEGER), CAST(peer_count AS INTEGER),
       missing_reason, derivation, status,
       coalesce(rank_tied, false), rank_note, basis_note
FROM county_vs_province
ORDER BY indicator, period, region_code

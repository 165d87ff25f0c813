-- city_ranking: the province's cities per period and indicator.
SELECT region_code, region_name, period, indicator, CAST(value AS DOUBLE), unit, CAST(decimals AS INTEGER),
       CAST(rank AS INTEGER), CAST(peer_count AS INTEGER), CAST(prev_rank AS INTEGER), CAST(rank_change AS INTEGER),
       CAST(tier AS INTEGER), tier_name, CAST(gap_to_first_tier AS DOUBLE),
       CAST(province_value AS DOUBLE), CAST(gap_to_province AS DOUBLE), is_focus,
       coalesce(rank_tied, false), rank_note, rank_change_note, tier_note, basis_note
FROM city_ranking
ORDER BY indicator, period, region_code

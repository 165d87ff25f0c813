-- The focus city's tier among the province's cities.
SELECT tier, tier_name, gap_to_first_tier, tier_note
FROM city_ranking
WHERE region_code = $1 AND indicator = $2 AND period = $3

-- The declared tiers of the province's cities.
SELECT CAST(tier AS INTEGER), name_zh, CAST(max_rank AS INTEGER) FROM tier_cutoffs ORDER BY tier

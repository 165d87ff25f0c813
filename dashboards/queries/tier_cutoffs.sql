-- The declared tiers of the province's cities; NULL max_rank = every rank left.
SELECT CAST(tier AS BIGINT), name_zh, name_en, CAST(max_rank AS BIGINT) FROM tier_cutoffs ORDER BY tier

-- The documents the focus city's targets for a year come from.
SELECT DISTINCT source FROM targets WHERE region_code = $1 AND year = $2 ORDER BY 1

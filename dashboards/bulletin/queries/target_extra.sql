-- The indicators and baseline periods of the focus city's targets for a
-- year: facts a bulletin also uses.
SELECT DISTINCT t.indicator, coalesce(t.baseline_period, '')
FROM targets t
WHERE t.region_code = $1 AND t.year = $2

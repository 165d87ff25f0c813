-- Months in which the focus city has a value of a monthly headline indicator.
SELECT DISTINCT c.period
FROM county_vs_province c
JOIN focus f ON c.region_code = f.city_code
JOIN indicators i ON i.code = c.indicator
WHERE i.headline AND i.frequency = 'monthly' AND c.value IS NOT NULL AND length(c.period) = 7

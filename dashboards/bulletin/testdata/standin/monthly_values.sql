-- Single-month values of monthly flows.
CREATE VIEW monthly_values AS
SELECT c.region_code, c.period, c.year, c.month, c.indicator, c.value AS ytd_value,
       CASE WHEN c.month = 1 THEN c.value ELSE c.value - p.value END AS month_value
FROM indicator_values c
JOIN indicators i ON i.code = c.indicator AND i.flow AND i.frequency = 'monthly'
LEFT JOIN indicator_values p ON p.region_code = c.region_code AND p.indicator = c.indicator
     AND p.year = c.year AND p.month = c.month - 1
WHERE c.month IS NOT NULL;

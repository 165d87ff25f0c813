-- severity: warn
-- description: 各区县之和不超过全市、各市之和不超过全省 / the counties add up to no more than their city, the cities to no more than the province
-- Only indicators that add up (aggregation = sum). Zones overlap counties and
-- are never added. Missing children lower the sum, never raise it. Reported,
-- not fatal: the figures published are each unit's own.
WITH children AS (
    SELECT r.parent_code AS parent, r.level AS child_level, f.period, f.indicator,
           sum(f.value) AS children_sum, count(f.value) AS children
    FROM indicator_values f
    JOIN regions r ON r.code = f.region_code
    JOIN indicators i ON i.code = f.indicator AND i.aggregation = 'sum'
    WHERE r.level IN ('county', 'city') AND r.parent_code IS NOT NULL
    GROUP BY ALL
)
SELECT c.parent AS region_code, c.period, c.indicator, c.child_level, c.children, c.children_sum, p.value AS parent_value
FROM children c
JOIN indicator_values p ON p.region_code = c.parent AND p.period = c.period AND p.indicator = c.indicator
WHERE c.children_sum > p.value + 1e-6 * greatest(1, abs(p.value))
ORDER BY c.parent, c.indicator, c.period

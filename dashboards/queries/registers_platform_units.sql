-- Provincial-or-higher platforms and incubators new this year and active, per unit, at the latest month end.
WITH latest AS (SELECT max(period) AS p FROM platform_new_ytd)
SELECT n.region_code, r.name, n.period,
       max(n.new_ytd) FILTER (WHERE n.indicator = 'platforms') AS platforms_new,
       max(n.active_end) FILTER (WHERE n.indicator = 'platforms') AS platforms_active,
       max(n.new_ytd) FILTER (WHERE n.indicator = 'incubators') AS incubators_new,
       max(n.active_end) FILTER (WHERE n.indicator = 'incubators') AS incubators_active
FROM platform_new_ytd n JOIN latest ON n.period = latest.p
JOIN regions r ON r.code = n.region_code
WHERE n.region_code = ? OR r.parent_code = ?
GROUP BY n.region_code, r.name, n.period
ORDER BY CASE WHEN n.region_code = ? THEN 0 ELSE 1 END, n.region_code

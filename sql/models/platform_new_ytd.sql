-- materialized: table
-- description: 省级以上平台与孵化器的年内新增（按月累计，来自平台名单）：目标“新增省级以上平台60个”“新备案孵化器5家”的完成值 / New provincial-or-higher platforms and incubators, year to date at each month end, from the register: the flow the new_count targets are measured with
-- column region_code: 区划代码 / region code
-- column period: 期别 YYYY-MM / period
-- column year: 年份 / year
-- column month: 月份 / month
-- column indicator: 指标 platforms/incubators / indicator
-- column new_ytd: 年初至月末新认定（备案）的省级以上数量 / provincial-or-higher recognised from 1 January to the month end
-- column active_end: 月末在册的省级以上数量 / provincial-or-higher active at the month end
WITH p AS (
    SELECT pr.*, r.parent_code AS city, t.indicator
    FROM platform_register pr
    JOIN regions r ON r.code = pr.region_code
    JOIN platform_types t ON t.key = pr.platform_type
    WHERE pr.level IN ('national', 'provincial')
),
units AS (
    SELECT code AS region_code FROM regions
    WHERE (level IN ('county', 'zone') AND parent_code IN (SELECT r.parent_code FROM platform_register pr JOIN regions r ON r.code = pr.region_code))
       OR code IN (SELECT r.parent_code FROM platform_register pr JOIN regions r ON r.code = pr.region_code)
),
months AS (
    SELECT CAST(y AS INTEGER) AS year, CAST(m AS INTEGER) AS month,
           last_day(make_date(CAST(y AS INTEGER), CAST(m AS INTEGER), 1)) AS t
    FROM (SELECT min(year(recognized_on)) AS y0, greatest(max(year(recognized_on)), coalesce(max(year(revoked_on)), 0)) AS y1 FROM platform_register) b,
         range(b.y0, b.y1 + 1) a(y), range(1, 13) mm(m)
    WHERE b.y0 IS NOT NULL
),
grid AS (
    SELECT u.region_code, mo.year, mo.month, mo.t, i.indicator
    FROM units u, months mo, (SELECT DISTINCT indicator FROM platform_types) i
),
rolled AS (
    SELECT region_code AS rc, recognized_on, revoked_on, indicator FROM p
    UNION ALL
    SELECT city, recognized_on, revoked_on, indicator FROM p
)
SELECT g.region_code, printf('%04d-%02d', g.year, g.month) AS period, g.year, g.month, g.indicator,
       CAST(count(r.rc) FILTER (WHERE r.recognized_on BETWEEN make_date(g.year, 1, 1) AND g.t) AS INTEGER) AS new_ytd,
       CAST(count(r.rc) FILTER (WHERE r.recognized_on <= g.t AND (r.revoked_on IS NULL OR r.revoked_on > g.t)) AS INTEGER) AS active_end
FROM grid g
JOIN regions rg ON rg.code = g.region_code
LEFT JOIN rolled r ON r.rc = g.region_code AND r.indicator = g.indicator
GROUP BY g.region_code, g.year, g.month, g.indicator
-- a unit whose code is not in use that year has no row unless it has platforms
HAVING (coalesce(any_value(rg.valid_from), 0) <= g.year AND coalesce(any_value(rg.valid_to), 9999) >= g.year) OR count(r.rc) > 0
ORDER BY g.region_code, g.year, g.month, g.indicator

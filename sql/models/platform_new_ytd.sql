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
),
events AS (
    -- recognitions and revocations per region, indicator and month
    SELECT rc, indicator, y, m, sum(added) AS added, sum(removed) AS removed
    FROM (
        SELECT rc, indicator, year(recognized_on) AS y, month(recognized_on) AS m, 1 AS added, 0 AS removed FROM rolled
        UNION ALL
        SELECT rc, indicator, year(revoked_on), month(revoked_on), 0, 1 FROM rolled WHERE revoked_on IS NOT NULL
    ) e
    GROUP BY rc, indicator, y, m
),
running AS (
    SELECT g.region_code, g.year, g.month, g.indicator,
           sum(coalesce(e.added, 0)) OVER (PARTITION BY g.region_code, g.indicator, g.year ORDER BY g.month) AS new_ytd,
           sum(coalesce(e.added, 0) - coalesce(e.removed, 0)) OVER (PARTITION BY g.region_code, g.indicator ORDER BY g.year, g.month) AS active_end
    FROM grid g
    LEFT JOIN events e ON e.rc = g.region_code AND e.indicator = g.indicator AND e.y = g.year AND e.m = g.month
)
SELECT n.region_code, printf('%04d-%02d', n.year, n.month) AS period, n.year, n.month, n.indicator,
       CAST(n.new_ytd AS INTEGER) AS new_ytd, CAST(n.active_end AS INTEGER) AS active_end
FROM running n
JOIN regions rg ON rg.code = n.region_code
-- a unit whose code is not in use that year has no row unless it has platforms then
WHERE (coalesce(rg.valid_from, 0) <= n.year AND coalesce(rg.valid_to, 9999) >= n.year) OR n.active_end > 0 OR n.new_ytd > 0
ORDER BY n.region_code, n.year, n.month, n.indicator

-- materialized: table
-- description: 创新平台数（来自平台名单）：年末在册与年内新增，按县区、级别、类型 / Innovation platforms from the register: active at year end and new in the year, by region, level and type
-- column region_code: 区划代码 / region code
-- column region_name: 名称 / region name
-- column year: 年份 / year
-- column indicator: 计入的指标 platforms/incubators / catalog indicator the type counts towards
-- column level: 级别 national国家级/provincial省级/city市级 / level
-- column platform_type: 平台类型代码 / platform type key
-- column platform_type_zh: 平台类型 / platform type
-- column active_end: 年末在册数 / active on 31 December (recognised, not revoked)
-- column new_in_year: 年内新认定（备案）数 / recognised in the year (a flow)
-- column revoked_in_year: 年内撤销数 / revoked in the year
WITH p AS (
    SELECT pr.*, r.parent_code AS city, t.indicator, t.name_zh AS type_zh
    FROM platform_register pr
    JOIN regions r ON r.code = pr.region_code
    JOIN platform_types t ON t.key = pr.platform_type
),
yrs AS (
    SELECT CAST(y AS INTEGER) AS year
    FROM (SELECT min(year(recognized_on)) AS y0, greatest(max(year(recognized_on)), coalesce(max(year(revoked_on)), 0)) AS y1 FROM p) b,
         range(b.y0, b.y1 + 1) t(y)
    WHERE b.y0 IS NOT NULL
),
rolled AS (
    SELECT region_code AS rc, * FROM p
    UNION ALL
    SELECT city AS rc, * FROM p
),
agg AS (
    SELECT rc AS region_code, y.year, indicator, level, platform_type, type_zh,
           count(*) FILTER (WHERE recognized_on <= make_date(y.year, 12, 31) AND (revoked_on IS NULL OR revoked_on > make_date(y.year, 12, 31))) AS active_end,
           count(*) FILTER (WHERE year(recognized_on) = y.year) AS new_in_year,
           count(*) FILTER (WHERE year(revoked_on) = y.year) AS revoked_in_year
    FROM rolled CROSS JOIN yrs y
    GROUP BY ALL
)
SELECT a.region_code, r.name AS region_name, a.year, a.indicator, a.level, a.platform_type, a.type_zh AS platform_type_zh,
       CAST(active_end AS INTEGER) AS active_end, CAST(new_in_year AS INTEGER) AS new_in_year,
       CAST(revoked_in_year AS INTEGER) AS revoked_in_year
FROM agg a JOIN regions r ON r.code = a.region_code
WHERE active_end > 0 OR new_in_year > 0 OR revoked_in_year > 0
ORDER BY a.region_code, a.year, a.indicator, a.level, a.platform_type

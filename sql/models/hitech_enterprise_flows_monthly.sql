-- materialized: table
-- description: 高新技术企业数的年内累计变动（按月，来自证书名单） / High-tech enterprises from the certificate roster: stock and year-to-date flows at every month end, per county-level unit, city and (when the roster covers all its cities) province
-- column region_code: 区划代码 / region code
-- column region_name: 名称 / region name
-- column level: 层级 county/zone/city/province / level
-- column period: 期别 YYYY-MM / period
-- column year: 年份 / year
-- column month: 月份 / month
-- column valid_start: 上年末有效企业数 / enterprises with a valid certificate on 31 Dec of the previous year
-- column new_recognized: 年初至月末新认定（发证前无有效证书、月末有效，上年末无效） / newly recognised: valid at the month end, not at the start
-- column renewed: 年初至月末重新认定（不改变企业数） / renewed: a certificate issued while the previous one was still valid (the count does not change)
-- column expired: 到期未重新认定 / valid at the start, not at the month end, not revoked
-- column revoked: 撤销 / valid at the start, revoked this year, not valid at the month end
-- column returned_after_lapse: 年内到期后又获认定（期初、期末均有效） / lapsed during the year and recognised again by the month end (valid at both ends: no net change)
-- column valid_end: 月末有效企业数 = 期初 + 新认定 − 到期 − 撤销 / enterprises valid at the month end = start + new − expired − revoked
WITH s AS (
    SELECT * FROM hitech_enterprise_status
),
units AS (
    -- every county-level unit of a city the roster touches, so that a county with none counts 0;
    -- a unit directly under its province (济源, 仙桃, the municipalities' districts) has no city
    -- and rolls up to the province only: taking the province for its city gave the province two
    -- rows a month, each a part of it
    SELECT r.code AS unit,
           CASE WHEN pa.level = 'province' THEN NULL ELSE r.parent_code END AS city,
           CASE WHEN pa.level = 'province' THEN r.parent_code ELSE pa.parent_code END AS province
    FROM regions r
    JOIN regions pa ON pa.code = r.parent_code
    WHERE r.level IN ('county', 'zone')
      AND r.parent_code IN (SELECT DISTINCT r2.parent_code FROM hitech_certificates hc JOIN regions r2 ON r2.code = hc.region_code)
),
complete_provinces AS (
    -- a province is counted only when the roster has certificates in every one of its current cities
    SELECT p.code
    FROM regions p
    JOIN regions ci ON ci.parent_code = p.code AND ci.level = 'city' AND ci.valid_to IS NULL
    WHERE p.level = 'province'
    GROUP BY p.code
    HAVING count(*) = count(*) FILTER (WHERE ci.code IN (SELECT DISTINCT r2.parent_code FROM hitech_certificates hc JOIN regions r2 ON r2.code = hc.region_code))
),
periods AS (
    SELECT DISTINCT year, month FROM s
),
grid AS (
    -- each unit, its city and province, at each period
    SELECT u.unit AS region_code, p.year, p.month FROM units u, periods p
    UNION ALL
    SELECT DISTINCT u.city, p.year, p.month FROM units u, periods p WHERE u.city IS NOT NULL
    UNION ALL
    SELECT DISTINCT u.province, p.year, p.month
    FROM units u, periods p
    WHERE u.province IN (SELECT code FROM complete_provinces)
),
unit_agg AS (
    -- one pass over the enterprises: counts per unit, then rolled up
    SELECT s.region_code, s.year, s.month,
           count(*) FILTER (WHERE valid_start) AS valid_start,
           count(*) FILTER (WHERE valid_end AND NOT valid_start) AS new_recognized,
           count(*) FILTER (WHERE renewed) AS renewed,
           count(*) FILTER (WHERE valid_start AND NOT valid_end AND NOT revoked) AS expired,
           count(*) FILTER (WHERE valid_start AND NOT valid_end AND revoked) AS revoked,
           count(*) FILTER (WHERE valid_start AND valid_end AND fresh) AS returned_after_lapse,
           count(*) FILTER (WHERE valid_end) AS valid_end
    FROM s
    GROUP BY s.region_code, s.year, s.month
),
tagged AS (
    SELECT a.*, u.city, u.province
    FROM unit_agg a JOIN units u ON u.unit = a.region_code
),
agg AS (
    SELECT region_code, year, month, valid_start, new_recognized, renewed, expired, revoked, returned_after_lapse, valid_end FROM unit_agg
    UNION ALL
    SELECT city, year, month, sum(valid_start), sum(new_recognized), sum(renewed), sum(expired), sum(revoked),
           sum(returned_after_lapse), sum(valid_end)
    FROM tagged WHERE city IS NOT NULL GROUP BY city, year, month
    UNION ALL
    SELECT province, year, month, sum(valid_start), sum(new_recognized), sum(renewed), sum(expired), sum(revoked),
           sum(returned_after_lapse), sum(valid_end)
    FROM tagged WHERE province IN (SELECT code FROM complete_provinces) GROUP BY province, year, month
)
SELECT g.region_code, r.name AS region_name, r.level,
       printf('%04d-%02d', g.year, g.month) AS period, g.year, g.month,
       CAST(coalesce(a.valid_start, 0) AS INTEGER) AS valid_start,
       CAST(coalesce(a.new_recognized, 0) AS INTEGER) AS new_recognized,
       CAST(coalesce(a.renewed, 0) AS INTEGER) AS renewed,
       CAST(coalesce(a.expired, 0) AS INTEGER) AS expired,
       CAST(coalesce(a.revoked, 0) AS INTEGER) AS revoked,
       CAST(coalesce(a.returned_after_lapse, 0) AS INTEGER) AS returned_after_lapse,
       CAST(coalesce(a.valid_end, 0) AS INTEGER) AS valid_end
FROM grid g
JOIN regions r ON r.code = g.region_code
LEFT JOIN agg a USING (region_code, year, month)
-- a unit whose code is not in use that year (临沂经开区 and 临港区 after 2019) has no row unless it has certificates
WHERE (coalesce(r.valid_from, 0) <= g.year AND coalesce(r.valid_to, 9999) >= g.year) OR a.region_code IS NOT NULL
ORDER BY g.region_code, g.year, g.month

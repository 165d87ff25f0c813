-- materialized: table
-- description: 高新技术企业年末预估（按月末时点，对照630家、净增100家目标） / Year-end outlook for high-tech enterprises at each month end, against the targets, with its assumptions
-- column region_code: 区划代码 / region code
-- column region_name: 名称 / region name
-- column level: 层级 / level
-- column year: 年度 / year
-- column as_of_period: 预估时点（月末） / month end the outlook is made at
-- column as_of_month: 月份 / month
-- column base_valid: 上年末有效企业数 / valid on 31 Dec of the previous year
-- column valid_now: 当前有效企业数 / valid at the month end
-- column expiring: 年底前到期且尚未重新认定 / valid now, but every certificate known now ends by 31 December (not yet renewed)
-- column renewal_rate: 历史重新认定率（前三年，本市） / past renewal rate: renewed ÷ (renewed + expired) over the three previous years, city level
-- column expected_renewals: 预计重新认定 = 到期数 × 重新认定率 / expiring × renewal rate, rounded
-- column ready_candidates: 培育库中满足全部条件且尚无有效证书的企业 / candidates of the year meeting every condition and holding no valid certificate now
-- column recognition_rate: 历史认定率（上年培育库达标企业当年获认定的比例，本市） / share of last year's eligible candidates recognised that year, city level
-- column expected_new: 预计新认定 = 达标企业 × 认定率（12月末为0） / ready candidates × recognition rate, rounded (0 at 31 December)
-- column expected_valid_end: 预计年末有效企业数 / expected valid on 31 December
-- column expected_net: 预计净增 / expected net increase over the previous year end
-- column target_total: 总数目标 / total target (630 for the city in 2020)
-- column target_net: 净增目标 / net increase target (100)
-- column gap_total: 距总数目标 / expected valid_end − total target
-- column gap_net: 距净增目标 / expected net − net target
-- column assumptions_zh: 预估假设 / the assumptions, in Chinese
WITH st AS (
    SELECT * FROM hitech_enterprise_status
),
units AS (
    SELECT region_code AS unit, region_code AS rc FROM hitech_enterprise_flows_monthly WHERE level IN ('county', 'zone')
    UNION
    SELECT f.region_code, r.parent_code FROM hitech_enterprise_flows_monthly f JOIN regions r ON r.code = f.region_code
    WHERE f.level IN ('county', 'zone')
),
unit_counts AS (
    SELECT st.region_code, st.year, st.month,
           count(*) FILTER (WHERE st.valid_end) AS valid_now,
           count(*) FILTER (WHERE st.valid_end AND st.valid_until <= make_date(st.year, 12, 31)) AS expiring
    FROM st
    GROUP BY ALL
),
now_counts AS (
    SELECT u.rc AS region_code, c.year, c.month, sum(c.valid_now) AS valid_now, sum(c.expiring) AS expiring
    FROM unit_counts c JOIN units u ON u.unit = c.region_code
    GROUP BY ALL
),
city_of AS (
    SELECT DISTINCT rc AS region_code, CASE WHEN r.level = 'city' THEN r.code ELSE r.parent_code END AS city
    FROM units JOIN regions r ON r.code = units.rc
),
renew AS (
    SELECT c.code AS city, y.year,
           sum(f.renewed)::DOUBLE / nullif(sum(f.renewed) + sum(f.expired), 0) AS rate
    FROM hitech_enterprise_flows f
    JOIN regions c ON c.code = f.region_code AND c.level = 'city'
    JOIN (SELECT DISTINCT year FROM hitech_enterprise_flows) y ON f.year BETWEEN y.year - 3 AND y.year - 1
    GROUP BY ALL
),
cand AS (
    SELECT cc.*, r.parent_code AS city FROM cultivation_candidates cc JOIN regions r ON r.code = cc.region_code
),
recog AS (
    -- last year's eligible candidates without a certificate at its start: how many got one that year
    SELECT cand.city, cand.eval_year + 1 AS year,
           count(DISTINCT h.uscc)::DOUBLE / nullif(count(DISTINCT cand.uscc), 0) AS rate
    FROM cand
    LEFT JOIN hitech_certificates h ON h.uscc = cand.uscc AND year(h.issued_on) = cand.eval_year
    WHERE cand.hitech_eligible
      AND NOT EXISTS (SELECT 1 FROM hitech_certificates x WHERE x.uscc = cand.uscc AND x.issued_on <= make_date(cand.eval_year - 1, 12, 31)
                      AND make_date(cand.eval_year - 1, 12, 31) < least(CAST(x.issued_on + INTERVAL 3 YEAR AS DATE), coalesce(x.revoked_on, DATE '9999-12-31')))
    GROUP BY ALL
),
ready AS (
    SELECT u.rc AS region_code, m.year, m.month, count(DISTINCT cand.uscc) AS n
    FROM cand
    JOIN units u ON u.unit = cand.region_code
    JOIN (SELECT DISTINCT year, month FROM st) m ON m.year = cand.eval_year
    WHERE cand.hitech_eligible
      AND NOT EXISTS (SELECT 1 FROM st s2 WHERE s2.uscc = cand.uscc AND s2.year = m.year AND s2.month = m.month AND s2.valid_end)
    GROUP BY ALL
),
tg AS (
    SELECT region_code, year,
           max(target_value) FILTER (WHERE target_kind = 'total') AS target_total,
           max(target_value) FILTER (WHERE target_kind = 'net_increase') AS target_net
    FROM targets WHERE indicator = 'hitech_enterprises'
    GROUP BY ALL
),
o AS (
    SELECT f.region_code, f.region_name, f.level, f.year, f.period AS as_of_period, f.month AS as_of_month,
           f.valid_start AS base_valid, coalesce(n.valid_now, 0) AS valid_now, coalesce(n.expiring, 0) AS expiring,
           rn.rate AS renewal_rate, coalesce(rd.n, 0) AS ready_candidates, rc.rate AS recognition_rate,
           tg.target_total, tg.target_net
    FROM hitech_enterprise_flows_monthly f
    JOIN city_of co ON co.region_code = f.region_code
    LEFT JOIN now_counts n ON n.region_code = f.region_code AND n.year = f.year AND n.month = f.month
    LEFT JOIN renew rn ON rn.city = co.city AND rn.year = f.year
    LEFT JOIN recog rc ON rc.city = co.city AND rc.year = f.year
    LEFT JOIN ready rd ON rd.region_code = f.region_code AND rd.year = f.year AND rd.month = f.month
    LEFT JOIN tg ON tg.region_code = f.region_code AND tg.year = f.year
),
e AS (
    SELECT o.*,
           -- on 31 December the year is over: nothing more is expected
           CASE WHEN as_of_month = 12 THEN 0 ELSE CAST(round(expiring * renewal_rate) AS INTEGER) END AS expected_renewals,
           CASE WHEN as_of_month = 12 THEN 0 ELSE CAST(round(ready_candidates * recognition_rate) AS INTEGER) END AS expected_new
    FROM o
)
SELECT region_code, region_name, level, year, as_of_period, as_of_month, base_valid, valid_now, expiring,
       round(renewal_rate, 4) AS renewal_rate, expected_renewals, ready_candidates,
       round(recognition_rate, 4) AS recognition_rate, expected_new,
       valid_now - expiring + expected_renewals + expected_new AS expected_valid_end,
       valid_now - expiring + expected_renewals + expected_new - base_valid AS expected_net,
       target_total, target_net,
       valid_now - expiring + expected_renewals + expected_new - target_total AS gap_total,
       valid_now - expiring + expected_renewals + expected_new - base_valid - target_net AS gap_net,
       printf('截至%s：现有效%d家；年底前到期未重新认定%d家，按前三年重新认定率%s预计重新认定%d家；培育库达标且未获证%d家，按上年认定率%s预计新认定%d家；未计年内撤销',
              as_of_period, valid_now, expiring, coalesce(printf('%.1f%%', renewal_rate * 100), '（无历史数据）'), coalesce(expected_renewals, 0),
              ready_candidates, coalesce(printf('%.1f%%', recognition_rate * 100), '（无历史数据）'), coalesce(expected_new, 0)) AS assumptions_zh
FROM e
ORDER BY region_code, year, as_of_month

-- materialized: table
-- description: 本市各区县（含功能区）及全市与全省平均比较 / The focus city's counties, zones and the city itself compared with the provincial average
-- column region_code: 区划代码 / region code
-- column region_name: 名称 / region name
-- column level: 层级 county/zone/city / level
-- column year: 年份 / year
-- column month: 月份（年度为空） / month, NULL for annual periods
-- column period: 期别 / period (monthly flows are year-to-date)
-- column indicator: 指标代码 / indicator code
-- column value: 本地区数值 / the region's value
-- column unit: 单位 / unit
-- column decimals: 显示小数位 / decimals shown
-- column province_value: 全省比较值（比率=全省比率；总量=全省÷同级单位数） / provincial comparison value on the declared basis
-- column comparison_basis: 比较口径 ratio/per_unit / basis of comparison
-- column units_in_province: 全省同级单位数（per_unit 的除数） / divisor of the per-unit average
-- column gap: 与全省差距（比率为百分点，总量为原单位） / value − province_value (percentage points for ratios)
-- column index_vs_province: 相对全省指数（全省=100） / index, province = 100
-- column above_province: 是否优于全省 / better than the province, in the indicator's direction
-- column rank: 位次（区县在本市区县及功能区中，全市在全省各市中；并列同名次） / rank among peers, ties share a rank
-- column peer_count: 参与排名的单位数（仅计有数据者） / number of peers with a value
-- column missing_reason: 缺失原因 / why the value is missing
-- column derivation: reported/computed/missing
-- column status: 初步 provisional / 核实 final
-- column kind: 指标类型 amount/count/ratio / indicator kind
-- column prev_value: 上年同期值（流量为上年1-N月累计） / value a year earlier (flows: year-to-date vs year-to-date)
-- column yoy: 同比（比率为百分点差，总量与计数为增长%） / year-on-year: points for ratios, percent for amounts and counts
-- column yoy_unit: 同比单位 百分点/% / unit of yoy
-- column prev_rank: 上年同期位次 / rank a year earlier
-- column rank_change: 位次变化（上年位次−本期位次，正数为前进） / previous rank − rank, positive = moved up
WITH f AS (
    SELECT city_code, province_code FROM focus LIMIT 1
),
-- Only the regions compared here: at national scale indicator_values holds
-- every county of the country, and joining all of it first costs seconds.
compared_regions AS (
    SELECT r.*
    FROM regions r, f
    WHERE (r.level IN ('county', 'zone') AND r.parent_code = f.city_code)
       OR (r.level = 'city' AND r.parent_code = f.province_code)
),
v AS (
    SELECT iv.*, r.name AS region_name, r.level, r.parent_code, r.sort_order,
           i.unit, i.decimals, i.better, i.comparison_basis, i.kind,
           CASE WHEN iv.month IS NULL THEN CAST(iv.year - 1 AS VARCHAR)
                ELSE printf('%04d-%02d', iv.year - 1, iv.month) END AS prev_period
    FROM indicator_values iv
    JOIN compared_regions r ON r.code = iv.region_code
    JOIN indicators i ON i.code = iv.indicator
),
-- Peers: the focus city's counties and zones rank together (Linyi's own
-- league tables); the city ranks among the province's cities.
peers AS (
    SELECT v.*, 'county' AS peer_level
    FROM v, f
    WHERE v.level IN ('county', 'zone') AND v.parent_code = f.city_code
    UNION ALL
    SELECT v.*, 'city' AS peer_level
    FROM v, f
    WHERE v.level = 'city' AND v.parent_code = f.province_code
),
ranked AS (
    SELECT p.*,
           CASE WHEN p.value IS NOT NULL THEN
               rank() OVER (PARTITION BY p.peer_level, p.period, p.indicator
                            ORDER BY CASE WHEN p.better = 'lower' THEN p.value ELSE -p.value END)
           END AS rank,
           count(p.value) OVER (PARTITION BY p.peer_level, p.period, p.indicator) AS peer_count
    FROM peers p
),
prov AS (
    SELECT iv.period, iv.year, iv.indicator, iv.value
    FROM indicator_values iv, f
    WHERE iv.region_code = f.province_code
),
compared AS (
    SELECT r.*,
           uc.n AS units_in_province,
           CASE r.comparison_basis
               WHEN 'ratio' THEN pv.value
               WHEN 'per_unit' THEN pv.value / uc.n
           END AS province_value
    FROM ranked r
    CROSS JOIN f
    LEFT JOIN prov pv ON pv.period = r.period AND pv.indicator = r.indicator
    LEFT JOIN unit_counts uc ON uc.region_code = f.province_code AND uc.level = r.peer_level AND uc.year = r.year
    WHERE r.peer_level = 'county' OR r.region_code = f.city_code
)
SELECT c.region_code, c.region_name, c.level, c.period, CAST(c.year AS INTEGER) AS year, CAST(c.month AS INTEGER) AS month, c.indicator, c.value, c.unit, c.decimals,
       c.province_value, c.comparison_basis,
       CASE WHEN c.comparison_basis = 'per_unit' THEN c.units_in_province END AS units_in_province,
       c.value - c.province_value AS gap,
       CASE WHEN c.province_value <> 0 THEN c.value / c.province_value * 100 END AS index_vs_province,
       CASE WHEN c.better = 'lower' THEN c.value < c.province_value ELSE c.value > c.province_value END AS above_province,
       CAST(c.rank AS INTEGER) AS rank,
       CAST(c.peer_count AS INTEGER) AS peer_count,
       c.missing_reason, c.derivation, c.status, c.kind,
       p.value AS prev_value,
       CASE WHEN c.kind = 'ratio' THEN c.value - p.value
            WHEN p.value <> 0 THEN (c.value / p.value - 1) * 100 END AS yoy,
       CASE WHEN c.kind = 'ratio' THEN '百分点' ELSE '%' END AS yoy_unit,
       CAST(p.rank AS INTEGER) AS prev_rank,
       CAST(p.rank - c.rank AS INTEGER) AS rank_change
FROM compared c
-- The same region a year earlier, ranked among the same peers.
LEFT JOIN ranked p ON p.region_code = c.region_code AND p.indicator = c.indicator AND p.period = c.prev_period
ORDER BY c.indicator, c.period, c.level = 'city', c.sort_order

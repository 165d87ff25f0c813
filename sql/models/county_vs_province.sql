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
-- column rank: 位次（区县在本市区县及功能区中，全市在全省各市中；并列同名次；仅一个单位有数据时不排名） / rank among peers, ties share a rank; none without peers
-- column rank_tied: 是否并列 / whether another peer shares the rank
-- column peer_count: 参与排名的单位数（仅计有数据者） / number of peers with a value
-- column rank_note: 无位次的原因 / why there is no rank
-- column missing_reason: 缺失原因 / why the value is missing
-- column derivation: reported/computed/missing
-- column status: 初步 provisional / 核实 final
-- column kind: 指标类型 amount/count/ratio / indicator kind
-- column prev_value: 上年同期值（流量为上年1-N月累计） / value a year earlier (flows: year-to-date vs year-to-date)
-- column yoy: 同比（比率为百分点差，总量与计数为增长%） / year-on-year: points for ratios, percent for amounts and counts
-- column yoy_unit: 同比单位 百分点/% / unit of yoy
-- column prev_rank: 上年同期位次（在本期参与排名的单位中） / rank a year earlier among this period's ranked peers
-- column rank_change: 位次变化（上年位次−本期位次，正数为前进；比较范围不同则为空） / previous rank − rank, positive = moved up; NULL unless both periods rank the same peers
-- column rank_change_note: 无位次变化的原因 / why there is no rank change
-- column basis_note: 比较口径说明（区划调整时） / note on the basis where the province's division changed
--
-- Ranks: ties share a rank (并列), a rank needs two peers with a value. A
-- rank change compares the same peers: last year's values of this period's
-- ranked peers, ranked again among themselves; when one of them had no
-- value last year there is no rank change and rank_change_note says why.
-- The city's per-city average divides by the cities the series compares
-- (one basis per series, city_ranking's units_compared).
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
ranked0 AS (
    SELECT p.*,
           CASE WHEN p.value IS NOT NULL THEN
               rank() OVER (PARTITION BY p.peer_level, p.period, p.indicator
                            ORDER BY CASE WHEN p.better = 'lower' THEN p.value ELSE -p.value END)
           END AS rank0,
           count(p.value) OVER (PARTITION BY p.peer_level, p.period, p.indicator) AS peer_count,
           CASE WHEN p.value IS NOT NULL THEN count(*) OVER (PARTITION BY p.peer_level, p.period, p.indicator, p.value) END AS tie_size
    FROM peers p
),
ranked AS (
    SELECT r.*, CASE WHEN r.peer_count >= 2 THEN r.rank0 END AS rank
    FROM ranked0 r
),
-- Last year's values of this period's ranked peers, ranked among themselves.
prev_same AS (
    SELECT c.region_code, c.peer_level, c.period, c.indicator, p.value AS prev_value,
           CASE WHEN p.value IS NOT NULL THEN
               rank() OVER (PARTITION BY c.peer_level, c.period, c.indicator
                            ORDER BY p.value IS NULL, CASE WHEN c.better = 'lower' THEN p.value ELSE -p.value END)
           END AS prev_rank,
           count(*) OVER (PARTITION BY c.peer_level, c.period, c.indicator) AS n_now,
           count(p.value) OVER (PARTITION BY c.peer_level, c.period, c.indicator) AS n_with_prev
    FROM ranked c
    LEFT JOIN peers p ON p.region_code = c.region_code AND p.indicator = c.indicator AND p.period = c.prev_period
    WHERE c.rank IS NOT NULL
),
-- The cities a series compares, per year (the divisor of the per-city
-- average, one basis per series): the province's cities of today's division,
-- and a city since merged away only in the years it has data of its own.
compared_count AS (
    SELECT y.indicator, y.year, count(*) AS n
    FROM (SELECT DISTINCT indicator, year FROM peers WHERE peer_level = 'city') y
    CROSS JOIN f
    JOIN regions r ON r.level = 'city' AND r.parent_code = f.province_code
    WHERE (r.valid_from IS NULL OR r.valid_from <= y.year)
      AND (r.valid_to IS NULL OR EXISTS (SELECT 1 FROM peers p WHERE p.region_code = r.code
                                             AND p.indicator = y.indicator AND p.year = y.year AND p.peer_level = 'city'))
    GROUP BY ALL
),
prov AS (
    SELECT iv.period, iv.year, iv.indicator, iv.value
    FROM indicator_values iv, f
    WHERE iv.region_code = f.province_code
),
compared AS (
    SELECT r.*,
           CASE WHEN r.peer_level = 'city' THEN coalesce(cc.n, uc.n) ELSE uc.n END AS units_in_province,
           CASE WHEN r.peer_level = 'city' AND r.comparison_basis = 'per_unit' AND cc.n <> uc.n
                THEN printf('全省市均按参与比较的%d个市计算（当年全省区划为%d个市，其后区划调整）', cc.n, uc.n) END AS basis_note,
           CASE r.comparison_basis
               WHEN 'ratio' THEN pv.value
               WHEN 'per_unit' THEN pv.value / CASE WHEN r.peer_level = 'city' THEN coalesce(cc.n, uc.n) ELSE uc.n END
           END AS province_value
    FROM ranked r
    CROSS JOIN f
    LEFT JOIN prov pv ON pv.period = r.period AND pv.indicator = r.indicator
    LEFT JOIN unit_counts uc ON uc.region_code = f.province_code AND uc.level = r.peer_level AND uc.year = r.year
    LEFT JOIN compared_count cc ON r.peer_level = 'city' AND cc.indicator = r.indicator AND cc.year = r.year
    WHERE r.peer_level = 'county' OR r.region_code = f.city_code
)
SELECT c.region_code, c.region_name, c.level, c.period, CAST(c.year AS INTEGER) AS year, CAST(c.month AS INTEGER) AS month, c.indicator, c.value, c.unit, c.decimals,
       c.province_value, c.comparison_basis,
       CASE WHEN c.comparison_basis = 'per_unit' THEN c.units_in_province END AS units_in_province,
       c.value - c.province_value AS gap,
       CASE WHEN c.province_value <> 0 THEN c.value / c.province_value * 100 END AS index_vs_province,
       CASE WHEN c.better = 'lower' THEN c.value < c.province_value ELSE c.value > c.province_value END AS above_province,
       CAST(c.rank AS INTEGER) AS rank,
       c.rank IS NOT NULL AND c.tie_size > 1 AS rank_tied,
       CAST(c.peer_count AS INTEGER) AS peer_count,
       CASE WHEN c.value IS NOT NULL AND c.rank IS NULL THEN '仅1个单位有数据，无可比较的单位' END AS rank_note,
       c.missing_reason, c.derivation, c.status, c.kind,
       p.value AS prev_value,
       CASE WHEN c.kind = 'ratio' THEN c.value - p.value
            WHEN p.value <> 0 THEN (c.value / p.value - 1) * 100 END AS yoy,
       CASE WHEN c.kind = 'ratio' THEN '百分点' ELSE '%' END AS yoy_unit,
       CAST(CASE WHEN ps.n_with_prev = ps.n_now THEN ps.prev_rank END AS INTEGER) AS prev_rank,
       CAST(CASE WHEN ps.n_with_prev = ps.n_now THEN ps.prev_rank - c.rank END AS INTEGER) AS rank_change,
       CASE
           WHEN c.rank IS NULL THEN NULL
           WHEN ps.prev_value IS NULL THEN '上年同期无数据'
           WHEN ps.n_with_prev < ps.n_now
               THEN printf('本期参与排名的%d个单位中有%d个上年同期无数据，位次不可比', ps.n_now, ps.n_now - ps.n_with_prev)
       END AS rank_change_note,
       c.basis_note
FROM compared c
LEFT JOIN ranked p ON p.region_code = c.region_code AND p.indicator = c.indicator AND p.period = c.prev_period
-- The same region a year earlier, ranked among this period's peers.
LEFT JOIN prev_same ps ON ps.region_code = c.region_code AND ps.peer_level = c.peer_level
    AND ps.indicator = c.indicator AND ps.period = c.period
ORDER BY c.indicator, c.period, c.level = 'city', c.sort_order

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
-- Memory: a join with f (one row) would hold a hash table of its own, so
-- f's province code is read as (SELECT province_code FROM f) where it
-- would be joined on.
WITH f AS (
    SELECT city_code, province_code FROM focus LIMIT 1
),
-- Only the regions compared here: at national scale indicator_values holds
-- every county of the country, and joining all of it first costs seconds.
compared_regions AS (
    SELECT r.code, r.level
    FROM regions r, f
    WHERE (r.level IN ('county', 'zone') AND r.parent_code = f.city_code)
       OR (r.level = 'city' AND r.parent_code = f.province_code)
),
-- Peers: the focus city's counties and zones rank together (Linyi's own
-- league tables); the city ranks among the province's cities.
-- Narrow rows: DuckDB's window operators, joins and CTEs hold every column
-- they carry, so the names, units and sort orders of regions and indicators
-- are joined at the end (one row per code) instead of riding along.
-- NOT MATERIALIZED: peers is read three times (twice by with_prev, once by
-- compared_count); kept as a CTE DuckDB would hold all its rows (about
-- 5 MiB at city scale), while reading indicator_values again is cheap
-- (national scale: +0.06 s).
peers AS NOT MATERIALIZED (
    SELECT iv.region_code, iv.period, iv.year, iv.month, iv.indicator, iv.value,
           iv.missing_reason, iv.derivation, iv.status,
           i.better, i.comparison_basis,
           CASE WHEN r.level = 'city' THEN 'city' ELSE 'county' END AS peer_level,
           CASE WHEN iv.month IS NULL THEN CAST(iv.year - 1 AS VARCHAR)
                ELSE printf('%04d-%02d', iv.year - 1, iv.month) END AS prev_period
    FROM indicator_values iv
    JOIN compared_regions r ON r.code = iv.region_code
    JOIN indicators i ON i.code = iv.indicator
),
-- Each peer with its value a year earlier.
with_prev AS (
    SELECT c.*, p.value AS prev_value
    FROM peers c
    LEFT JOIN peers p ON p.region_code = c.region_code AND p.indicator = c.indicator AND p.period = c.prev_period
),
-- The rank a year earlier is last year's values of this period's ranked
-- peers ranked among themselves: the peers without a value this period sort
-- after them and so change none of their ranks.
-- Memory: each distinct window (PARTITION BY and ORDER BY) is one more pass
-- holding every row, so tie_size, the peers sharing the value, is counted
-- in the rank's own window as the rows with the same sort key (RANGE ...
-- CURRENT ROW) rather than in a window of its own (PARTITION BY value).
ranked0 AS (
    SELECT w.*,
           CASE WHEN w.value IS NOT NULL THEN
               rank() OVER (PARTITION BY w.peer_level, w.period, w.indicator
                            ORDER BY CASE WHEN w.better = 'lower' THEN w.value ELSE -w.value END)
           END AS rank0,
           count(w.value) OVER (PARTITION BY w.peer_level, w.period, w.indicator) AS peer_count,
           CASE WHEN w.value IS NOT NULL THEN
               count(*) OVER (PARTITION BY w.peer_level, w.period, w.indicator
                              ORDER BY CASE WHEN w.better = 'lower' THEN w.value ELSE -w.value END
                              RANGE BETWEEN CURRENT ROW AND CURRENT ROW)
           END AS tie_size,
           CASE WHEN w.value IS NOT NULL THEN
               rank() OVER (PARTITION BY w.peer_level, w.period, w.indicator
                            ORDER BY w.value IS NULL, w.prev_value IS NULL,
                                     CASE WHEN w.better = 'lower' THEN w.prev_value ELSE -w.prev_value END)
           END AS prev_rank0,
           count(w.prev_value) FILTER (WHERE w.value IS NOT NULL)
               OVER (PARTITION BY w.peer_level, w.period, w.indicator) AS n_with_prev
    FROM with_prev w
),
-- n_now, the peers ranked now, is peer_count.
ranked AS (
    SELECT r.*, CASE WHEN r.peer_count >= 2 THEN r.rank0 END AS rank
    FROM ranked0 r
),
-- The cities a series compares, per year (the divisor of the per-city
-- average, one basis per series): the province's cities of today's division,
-- and a city since merged away only in the years it has data of its own.
-- (with_data lists the cities with data; a list rather than EXISTS, whose
-- correlated join held several hash tables.)
compared_count AS (
    SELECT y.indicator, y.year, count(*) AS n
    FROM (SELECT indicator, year, list(DISTINCT region_code) AS with_data
          FROM peers WHERE peer_level = 'city' GROUP BY indicator, year) y
    JOIN regions r ON r.level = 'city' AND r.parent_code = (SELECT province_code FROM f)
    WHERE (r.valid_from IS NULL OR r.valid_from <= y.year)
      AND (r.valid_to IS NULL OR list_contains(y.with_data, r.code))
    GROUP BY ALL
),
prov AS (
    SELECT iv.period, iv.year, iv.indicator, iv.value
    FROM indicator_values iv
    WHERE iv.region_code = (SELECT province_code FROM f)
),
compared AS (
    SELECT r.region_code, r.period, r.year, r.month, r.indicator, r.value,
           r.missing_reason, r.derivation, r.status,
           r.rank, r.tie_size, r.peer_count, r.prev_value, r.prev_rank0, r.n_with_prev,
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
    LEFT JOIN unit_counts uc ON uc.region_code = (SELECT province_code FROM f) AND uc.level = r.peer_level AND uc.year = r.year
    LEFT JOIN compared_count cc ON r.peer_level = 'city' AND cc.indicator = r.indicator AND cc.year = r.year
    WHERE r.peer_level = 'county' OR r.region_code = f.city_code
)
SELECT c.region_code, rg.name AS region_name, rg.level, c.period, CAST(c.year AS INTEGER) AS year, CAST(c.month AS INTEGER) AS month, c.indicator, c.value, i.unit, i.decimals,
       c.province_value, i.comparison_basis,
       CASE WHEN i.comparison_basis = 'per_unit' THEN c.units_in_province END AS units_in_province,
       c.value - c.province_value AS gap,
       CASE WHEN c.province_value <> 0 THEN c.value / c.province_value * 100 END AS index_vs_province,
       CASE WHEN i.better = 'lower' THEN c.value < c.province_value ELSE c.value > c.province_value END AS above_province,
       CAST(c.rank AS INTEGER) AS rank,
       c.rank IS NOT NULL AND c.tie_size > 1 AS rank_tied,
       CAST(c.peer_count AS INTEGER) AS peer_count,
       CASE WHEN c.value IS NOT NULL AND c.rank IS NULL THEN '仅1个单位有数据，无可比较的单位' END AS rank_note,
       c.missing_reason, c.derivation, c.status, i.kind,
       c.prev_value,
       CASE WHEN i.kind = 'ratio' THEN c.value - c.prev_value
            WHEN c.prev_value <> 0 THEN (c.value / c.prev_value - 1) * 100 END AS yoy,
       CASE WHEN i.kind = 'ratio' THEN '百分点' ELSE '%' END AS yoy_unit,
       CAST(CASE WHEN c.rank IS NOT NULL AND c.n_with_prev = c.peer_count THEN c.prev_rank0 END AS INTEGER) AS prev_rank,
       CAST(CASE WHEN c.rank IS NOT NULL AND c.n_with_prev = c.peer_count THEN c.prev_rank0 - c.rank END AS INTEGER) AS rank_change,
       CASE
           WHEN c.rank IS NULL THEN NULL
           WHEN c.prev_value IS NULL THEN '上年同期无数据'
           WHEN c.n_with_prev < c.peer_count
               THEN printf('本期参与排名的%d个单位中有%d个上年同期无数据，位次不可比', c.peer_count, c.peer_count - c.n_with_prev)
       END AS rank_change_note,
       c.basis_note
FROM compared c
JOIN regions rg ON rg.code = c.region_code
JOIN indicators i ON i.code = c.indicator
ORDER BY c.indicator, c.period, rg.level = 'city', rg.sort_order

-- materialized: table
-- description: 全省各市位次与梯队 / The province's cities ranked per period and indicator, with tiers (梯队) and the gap to the first tier
-- column region_code: 区划代码 / region code
-- column region_name: 名称 / city name
-- column year: 年份 / year
-- column month: 月份（年度为空） / month, NULL for annual periods
-- column period: 期别（流量为1-N月累计） / period (monthly flows are year-to-date)
-- column indicator: 指标代码 / indicator code
-- column value: 本市数值 / the city's value
-- column unit: 单位 / unit
-- column decimals: 显示小数位 / decimals shown
-- column kind: 指标类型 amount/count/ratio / indicator kind
-- column rank: 位次（并列同名次，缺数不排名；仅一市有数据时不排名） / rank, ties share a rank; none when missing or without peers
-- column rank_tied: 是否并列 / whether another city shares the rank
-- column peer_count: 参与排名的城市数 / number of cities with a value
-- column rank_note: 无位次的原因 / why there is no rank
-- column prev_value: 上年同期值 / value a year earlier
-- column yoy: 同比（比率为百分点差，总量与计数为增长%） / year-on-year: points for ratios, percent otherwise
-- column yoy_unit: 同比单位 百分点/% / unit of yoy
-- column prev_rank: 上年同期位次（在本期参与排名的城市中） / rank a year earlier among this period's ranked cities
-- column rank_change: 位次变化（上年位次−本期位次，正数为前进；比较范围不同则为空） / previous rank − rank, positive = moved up; NULL unless both periods rank the same cities
-- column rank_change_note: 无位次变化的原因 / why there is no rank change
-- column tier: 梯队（1=第一梯队，按 tier_cutoffs 的位次划分；数值不能区分时为空） / tier by rank, cut-offs in tier_cutoffs; NULL when the values cannot separate the cities
-- column tier_note: 不划分梯队的原因 / why no tier is given
-- column tier_name: 梯队名称 / tier name
-- column first_tier_threshold: 第一梯队末位城市的数值 / value of the last-ranked city of the first tier
-- column gap_to_first_tier: 与第一梯队差距（第一梯队末位值−本市值；第一梯队内为空） / first-tier threshold − value; NULL inside the first tier
-- column province_value: 全省比较值（比率=全省比率；总量=全省÷地市数） / provincial comparison value on the declared basis
-- column comparison_basis: 比较口径 ratio/per_unit / basis of comparison
-- column gap_to_province: 与全省差距（比率为百分点） / value − province_value
-- column is_focus: 是否为本市（关注城市） / whether this is the focus city
-- column units_compared: 全省市均的除数：参与比较的城市数 / divisor of the per-city average: the cities compared
-- column basis_note: 比较口径说明（区划调整时） / note on the basis where the province's division changed
--
-- Ranks follow the catalog's direction (better = higher or lower); ties
-- share a rank (并列). A rank needs at least two cities with a value. A tier
-- is the first row of tier_cutoffs whose max_rank is at least the city's
-- rank, given only when the values separate the cities: more ranked cities
-- than the first tier holds, and no tie across a cut-off (then no city of
-- that indicator and period gets a tier, and tier_note says why).
-- A rank change compares the same cities: last year's values of this
-- period's ranked cities are ranked again among themselves; a city ranked
-- now without a value last year leaves every rank change empty.
-- The per-city average divides the provincial total by the cities the
-- series compares: today's division, and a city since merged away only in
-- the years it has data of its own (one basis per series, ranks and
-- average alike); basis_note says where this differs from that year's
-- division (莱芜 merged into 济南 in January 2019: 17 cities before).
-- Memory: a join with f (one row) would hold a hash table of its own, so
-- f's province code is read as (SELECT province_code FROM f) instead.
WITH f AS (
    SELECT city_code, province_code FROM focus LIMIT 1
),
-- Narrow rows: DuckDB's window operators, joins and CTEs hold every column
-- they carry, so the names, units and sort orders of regions and indicators
-- are joined at the end (one row per code) instead of riding along.
-- Memory: every join holds a hash table of its own, MiBs however few its
-- rows, and DuckDB builds that table on the side it estimates smaller. The
-- province's cities are picked with IN (a semi join) rather than a join
-- with regions: the join's estimate (a few dozen rows) made every later
-- join build its hash table on this model's whole, wide stream of rows.
cities AS (
    SELECT iv.region_code, iv.period, iv.year, iv.month, iv.indicator, iv.value,
           i.better, i.comparison_basis,
           CASE WHEN iv.month IS NULL THEN CAST(iv.year - 1 AS VARCHAR)
                ELSE printf('%04d-%02d', iv.year - 1, iv.month) END AS prev_period
    FROM indicator_values iv
    JOIN indicators i ON i.code = iv.indicator
    WHERE iv.region_code IN (SELECT r.code FROM regions r WHERE r.level = 'city' AND r.parent_code = (SELECT province_code FROM f))
),
-- The cities a series compares, per year (the divisor of the per-city
-- average, one basis per series): the province's cities of today's division,
-- and a city since merged away only in the years it has data of its own.
-- (with_data lists the cities with data; a list rather than EXISTS, whose
-- correlated join held several hash tables.)
compared_count AS (
    SELECT y.indicator, y.year, count(*) AS n
    FROM (SELECT indicator, year, list(DISTINCT region_code) AS with_data
          FROM cities GROUP BY indicator, year) y
    JOIN regions r ON r.level = 'city' AND r.parent_code = (SELECT province_code FROM f)
    WHERE (r.valid_from IS NULL OR r.valid_from <= y.year)
      AND (r.valid_to IS NULL OR list_contains(y.with_data, r.code))
    GROUP BY ALL
),
-- Each city with its value a year earlier.
with_prev AS (
    SELECT c.*, p.value AS prev_value
    FROM cities c
    LEFT JOIN cities p ON p.region_code = c.region_code AND p.indicator = c.indicator AND p.period = c.prev_period
),
-- This period's ranks. Memory: each distinct window (PARTITION BY and
-- ORDER BY) is one more pass holding every row, so everything that can be
-- read off this period's order is taken from the same window: tie_size,
-- the cities sharing the value, is the rows with the same sort key (RANGE
-- ... CURRENT ROW), and first_tier_value is the value at the first tier's
-- last position (see tiered).
ranked0 AS (
    SELECT w.*,
           CASE WHEN w.value IS NOT NULL THEN
               rank() OVER (PARTITION BY w.period, w.indicator
                            ORDER BY CASE WHEN w.better = 'lower' THEN w.value ELSE -w.value END)
           END AS rank0,
           count(w.value) OVER (PARTITION BY w.period, w.indicator) AS peer_count,
           CASE WHEN w.value IS NOT NULL THEN
               count(*) OVER (PARTITION BY w.period, w.indicator
                              ORDER BY CASE WHEN w.better = 'lower' THEN w.value ELSE -w.value END
                              RANGE BETWEEN CURRENT ROW AND CURRENT ROW)
           END AS tie_size,
           nth_value(w.value, (SELECT min(max_rank) FROM tier_cutoffs))
               OVER (PARTITION BY w.period, w.indicator
                     ORDER BY CASE WHEN w.better = 'lower' THEN w.value ELSE -w.value END
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_tier_value
    FROM with_prev w
),
-- n_now, the cities ranked now, is peer_count.
-- The rank a year earlier is last year's values of this period's ranked
-- cities ranked among themselves: the cities without a value this period
-- sort after them and so change none of their ranks.
-- straddles: whether a tie straddles a cut-off of tier_cutoffs, i.e. its
-- first rank is inside a tier and its last position beyond it. It is a
-- window over the same partition as the rank a year earlier (one pass,
-- instead of a GROUP BY joined back, which cost two more hash tables).
ranked AS (
    SELECT r.*, CASE WHEN r.peer_count >= 2 THEN r.rank0 END AS rank,
           CASE WHEN r.value IS NOT NULL THEN
               rank() OVER (PARTITION BY r.period, r.indicator
                            ORDER BY r.value IS NULL, r.prev_value IS NULL,
                                     CASE WHEN r.better = 'lower' THEN r.prev_value ELSE -r.prev_value END)
           END AS prev_rank0,
           count(r.prev_value) FILTER (WHERE r.value IS NOT NULL)
               OVER (PARTITION BY r.period, r.indicator) AS n_with_prev,
           bool_or(CASE WHEN r.peer_count >= 2 AND r.value IS NOT NULL THEN
                       len(list_filter((SELECT list(max_rank) FROM tier_cutoffs WHERE max_rank IS NOT NULL),
                                       lambda cut: r.rank0 <= cut AND r.rank0 + r.tie_size - 1 > cut)) > 0
                   END) OVER (PARTITION BY r.period, r.indicator) AS straddles
    FROM ranked0 r
),
tiers AS (
    SELECT tier, name_zh,
           coalesce(lag(max_rank) OVER (ORDER BY tier), 0) + 1 AS first_rank,
           max_rank
    FROM tier_cutoffs
),
-- separated: the values separate the cities, so this indicator and period
-- has tiers. The first tier's threshold, the value of its last-ranked
-- member (the lowest value when higher is better, the highest when lower
-- is better), is then the value at the first tier's last position: no tie
-- straddles that cut-off.
tiered AS (
    SELECT r.*,
           r.straddles = false AND r.peer_count > (SELECT min(max_rank) FROM tier_cutoffs) AS separated,
           CASE WHEN r.straddles = false AND r.peer_count > (SELECT min(max_rank) FROM tier_cutoffs) THEN t.tier END AS tier,
           CASE WHEN r.straddles = false AND r.peer_count > (SELECT min(max_rank) FROM tier_cutoffs) THEN t.name_zh END AS tier_name,
           CASE
               WHEN r.value IS NULL THEN NULL
               WHEN r.rank IS NULL THEN '仅1个城市有数据，不排位次、不分梯队'
               WHEN r.peer_count <= (SELECT min(max_rank) FROM tier_cutoffs)
                   THEN printf('仅%d个城市有数据，不足以划分梯队', r.peer_count)
               WHEN r.straddles THEN '数值并列跨越梯队界限，本期不划分梯队'
           END AS tier_note
    FROM ranked r
    LEFT JOIN tiers t ON r.rank >= t.first_rank AND (t.max_rank IS NULL OR r.rank <= t.max_rank)
),
prov AS (
    SELECT iv.period, iv.indicator, iv.value
    FROM indicator_values iv
    WHERE iv.region_code = (SELECT province_code FROM f)
),
-- One row per period and indicator with everything the output looks up by
-- them (the indicator's unit, the provincial value, the divisors), joined
-- once: each join at the end held its own hash table (>= 4 MiB each).
per_series AS (
    SELECT y.period, y.indicator, i.unit, i.decimals, i.kind,
           pv.value AS province_total, cc.n AS compared_n, uc.n AS division_n
    FROM (SELECT DISTINCT period, indicator, year FROM cities) y
    JOIN indicators i ON i.code = y.indicator
    LEFT JOIN prov pv ON pv.period = y.period AND pv.indicator = y.indicator
    LEFT JOIN compared_count cc ON cc.indicator = y.indicator AND cc.year = y.year
    LEFT JOIN unit_counts uc ON uc.region_code = (SELECT province_code FROM f) AND uc.level = 'city' AND uc.year = y.year
)
SELECT t.region_code, rg.name AS region_name, t.period, CAST(t.year AS INTEGER) AS year, CAST(t.month AS INTEGER) AS month, t.indicator, t.value, g.unit, g.decimals, g.kind,
       CAST(t.rank AS INTEGER) AS rank,
       t.rank IS NOT NULL AND t.tie_size > 1 AS rank_tied,
       CAST(t.peer_count AS INTEGER) AS peer_count,
       CASE WHEN t.value IS NOT NULL AND t.rank IS NULL THEN '仅1个城市有数据，无可比较的城市' END AS rank_note,
       t.prev_value,
       CASE WHEN g.kind = 'ratio' THEN t.value - t.prev_value
            WHEN t.prev_value <> 0 THEN (t.value / t.prev_value - 1) * 100 END AS yoy,
       CASE WHEN g.kind = 'ratio' THEN '百分点' ELSE '%' END AS yoy_unit,
       CAST(CASE WHEN t.rank IS NOT NULL AND t.n_with_prev = t.peer_count THEN t.prev_rank0 END AS INTEGER) AS prev_rank,
       CAST(CASE WHEN t.rank IS NOT NULL AND t.n_with_prev = t.peer_count THEN t.prev_rank0 - t.rank END AS INTEGER) AS rank_change,
       CASE
           WHEN t.rank IS NULL THEN NULL
           WHEN t.prev_value IS NULL THEN '上年同期无数据'
           WHEN t.n_with_prev < t.peer_count
               THEN printf('本期参与排名的%d个城市中有%d个上年同期无数据，位次不可比', t.peer_count, t.peer_count - t.n_with_prev)
       END AS rank_change_note,
       CAST(t.tier AS INTEGER) AS tier,
       t.tier_name,
       t.tier_note,
       CASE WHEN t.separated THEN t.first_tier_value END AS first_tier_threshold,
       CASE WHEN t.tier > (SELECT min(tier) FROM tier_cutoffs) THEN t.first_tier_value - t.value END AS gap_to_first_tier,
       CASE t.comparison_basis
           WHEN 'ratio' THEN g.province_total
           WHEN 'per_unit' THEN g.province_total / g.compared_n
       END AS province_value,
       t.comparison_basis,
       t.value - province_value AS gap_to_province,
       t.region_code = f.city_code AS is_focus,
       CAST(CASE WHEN t.comparison_basis = 'per_unit' THEN g.compared_n END AS INTEGER) AS units_compared,
       CASE WHEN t.comparison_basis = 'per_unit' AND g.compared_n <> g.division_n
            THEN printf('全省市均按参与比较的%d个市计算（当年全省区划为%d个市，其后区划调整）', g.compared_n, g.division_n) END AS basis_note
FROM tiered t
CROSS JOIN f
JOIN regions rg ON rg.code = t.region_code
JOIN per_series g ON g.period = t.period AND g.indicator = t.indicator
ORDER BY t.indicator, t.period, t.rank NULLS LAST, rg.sort_order

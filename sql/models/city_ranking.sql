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
-- column rank: 位次（并列同名次，缺数不排名） / rank, ties share a rank, missing values unranked
-- column peer_count: 参与排名的城市数 / number of cities with a value
-- column prev_value: 上年同期值 / value a year earlier
-- column yoy: 同比（比率为百分点差，总量与计数为增长%） / year-on-year: points for ratios, percent otherwise
-- column yoy_unit: 同比单位 百分点/% / unit of yoy
-- column prev_rank: 上年同期位次 / rank a year earlier
-- column rank_change: 位次变化（上年位次−本期位次，正数为前进） / previous rank − rank, positive = moved up
-- column tier: 梯队（1=第一梯队，按 tier_cutoffs 的位次划分） / tier by rank, cut-offs in tier_cutoffs
-- column tier_name: 梯队名称 / tier name
-- column first_tier_threshold: 第一梯队末位城市的数值 / value of the last-ranked city of the first tier
-- column gap_to_first_tier: 与第一梯队差距（第一梯队末位值−本市值；第一梯队内为空） / first-tier threshold − value; NULL inside the first tier
-- column province_value: 全省比较值（比率=全省比率；总量=全省÷地市数） / provincial comparison value on the declared basis
-- column comparison_basis: 比较口径 ratio/per_unit / basis of comparison
-- column gap_to_province: 与全省差距（比率为百分点） / value − province_value
-- column is_focus: 是否为本市（关注城市） / whether this is the focus city
--
-- Ranks follow the catalog's direction (better = higher or lower). A tier is
-- the first row of tier_cutoffs whose max_rank is at least the city's rank:
-- a tie across the boundary puts both cities in the upper tier.
WITH f AS (
    SELECT city_code, province_code FROM focus LIMIT 1
),
cities AS (
    SELECT iv.region_code, iv.period, iv.year, iv.month, iv.indicator, iv.value,
           r.name AS region_name, r.sort_order,
           i.unit, i.decimals, i.kind, i.better, i.comparison_basis,
           CASE WHEN iv.month IS NULL THEN CAST(iv.year - 1 AS VARCHAR)
                ELSE printf('%04d-%02d', iv.year - 1, iv.month) END AS prev_period
    FROM indicator_values iv
    JOIN regions r ON r.code = iv.region_code
    JOIN indicators i ON i.code = iv.indicator
    CROSS JOIN f
    WHERE r.level = 'city' AND r.parent_code = f.province_code
),
ranked AS (
    SELECT c.*,
           CASE WHEN c.value IS NOT NULL THEN
               rank() OVER (PARTITION BY c.period, c.indicator
                            ORDER BY CASE WHEN c.better = 'lower' THEN c.value ELSE -c.value END)
           END AS rank,
           count(c.value) OVER (PARTITION BY c.period, c.indicator) AS peer_count
    FROM cities c
),
tiers AS (
    SELECT tier, name_zh,
           coalesce(lag(max_rank) OVER (ORDER BY tier), 0) + 1 AS first_rank,
           max_rank
    FROM tier_cutoffs
),
tiered AS (
    SELECT r.*, t.tier, t.name_zh AS tier_name
    FROM ranked r
    LEFT JOIN tiers t ON r.rank >= t.first_rank AND (t.max_rank IS NULL OR r.rank <= t.max_rank)
),
thresholds AS (
    -- The last-ranked member of the first tier: the lowest value when higher
    -- is better, the highest when lower is better.
    SELECT period, indicator,
           CASE WHEN any_value(better) = 'lower' THEN max(value) ELSE min(value) END AS first_tier_threshold
    FROM tiered
    WHERE tier = (SELECT min(tier) FROM tier_cutoffs)
    GROUP BY period, indicator
),
prov AS (
    SELECT iv.period, iv.indicator, iv.value
    FROM indicator_values iv, f
    WHERE iv.region_code = f.province_code
)
SELECT t.region_code, t.region_name, t.period, CAST(t.year AS INTEGER) AS year, CAST(t.month AS INTEGER) AS month, t.indicator, t.value, t.unit, t.decimals, t.kind,
       CAST(t.rank AS INTEGER) AS rank,
       CAST(t.peer_count AS INTEGER) AS peer_count,
       p.value AS prev_value,
       CASE WHEN t.kind = 'ratio' THEN t.value - p.value
            WHEN p.value <> 0 THEN (t.value / p.value - 1) * 100 END AS yoy,
       CASE WHEN t.kind = 'ratio' THEN '百分点' ELSE '%' END AS yoy_unit,
       CAST(p.rank AS INTEGER) AS prev_rank,
       CAST(p.rank - t.rank AS INTEGER) AS rank_change,
       CAST(t.tier AS INTEGER) AS tier,
       t.tier_name,
       th.first_tier_threshold,
       CASE WHEN t.tier > (SELECT min(tier) FROM tier_cutoffs) THEN th.first_tier_threshold - t.value END AS gap_to_first_tier,
       CASE t.comparison_basis
           WHEN 'ratio' THEN pv.value
           WHEN 'per_unit' THEN pv.value / uc.n
       END AS province_value,
       t.comparison_basis,
       t.value - province_value AS gap_to_province,
       t.region_code = f.city_code AS is_focus
FROM tiered t
CROSS JOIN f
LEFT JOIN ranked p ON p.region_code = t.region_code AND p.indicator = t.indicator AND p.period = t.prev_period
LEFT JOIN thresholds th ON th.period = t.period AND th.indicator = t.indicator
LEFT JOIN prov pv ON pv.period = t.period AND pv.indicator = t.indicator
LEFT JOIN unit_counts uc ON uc.region_code = f.province_code AND uc.level = 'city' AND uc.year = t.year
ORDER BY t.indicator, t.period, t.rank NULLS LAST, t.sort_order

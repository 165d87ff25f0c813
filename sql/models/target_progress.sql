-- materialized: table
-- description: 年度目标完成情况与序时进度 / Progress on each yearly target at every period of the year with data, against time elapsed (序时进度)
-- column region_code: 区划代码 / region code
-- column region_name: 名称 / region name
-- column year: 目标年度 / target year
-- column as_of_period: 截至期别 / period the progress is measured at
-- column as_of_month: 截至月份（年度指标为12） / month of the period, 12 for annual indicators
-- column indicator: 指标代码 / indicator code
-- column unit: 单位 / unit
-- column target_kind: 目标类型 total总量/net_increase净增/new_count新增/point_increase提高百分点/above_province高于全省/ytd_count年内累计/count_this_year年内数量 / kind of target
-- column description_zh: 目标表述 / the target as worded in the policy
-- column target_value: 目标值 / target value
-- column target_max: 目标上限（区间目标） / upper end of a range target
-- column baseline_period: 基期 / baseline period used
-- column baseline_value: 基期值 / value at the baseline period
-- column current_value: 当期值 / value at the as-of period
-- column actual_value: 完成值（按目标类型计算） / achievement, by target kind
-- column province_value: 全省比较值 / provincial comparison value, same basis as county_vs_province
-- column completion_pct: 目标完成率（%） / actual ÷ target × 100
-- column time_progress_pct: 序时进度（%，截至月份÷12） / time elapsed, as_of_month ÷ 12 × 100
-- column ahead_points: 快于(+)/慢于(−)序时进度的百分点 / completion_pct − time_progress_pct
-- column status: met 已达标 / ahead 快于序时 / behind 慢于序时 / missing 缺数
-- column status_zh: 状态（中文） / status in Chinese
-- column progress_text_zh: 进度表述（月报用语） / the progress sentence as bulletins word it
-- column missing_reason: 缺数原因 / why the progress cannot be computed
--
-- actual_value by kind: total and ytd_count → current; net_increase,
-- new_count, count_this_year, point_increase → current − baseline;
-- above_province → current − province (百分点 for ratios). A target is met
-- when actual ≥ target (above_province without a value: actual > 0 in the
-- better direction), ahead when actual × 12 ≥ target × as_of_month
-- (completion ≥ N/12, compared exactly), else behind.
WITH f AS (
    SELECT city_code, province_code FROM focus LIMIT 1
),
t AS (
    SELECT tg.*, r.name AS region_name,
           CASE WHEN r.level = 'city' THEN 'city' ELSE 'county' END AS peer_level,
           i.unit, i.kind, i.frequency, i.better, i.comparison_basis, i.decimals,
           CASE
               WHEN tg.target_kind IN ('total', 'ytd_count') THEN tg.baseline_period
               ELSE coalesce(tg.baseline_period,
                             CASE WHEN i.frequency = 'annual' THEN CAST(tg.year - 1 AS VARCHAR)
                                  ELSE printf('%04d-12', tg.year - 1) END)
           END AS baseline_used
    FROM targets tg
    JOIN regions r ON r.code = tg.region_code
    JOIN indicators i ON i.code = tg.indicator
),
at_period AS (
    SELECT t.*, v.period AS as_of_period, coalesce(v.month, 12) AS as_of_month,
           v.value AS current_value, v.missing_reason AS current_reason
    FROM t
    JOIN indicator_values v ON v.region_code = t.region_code AND v.indicator = t.indicator AND v.year = t.year
        AND (v.month IS NOT NULL) = (t.frequency = 'monthly')
),
valued AS (
    SELECT a.*,
           b.value AS baseline_value,
           CASE a.comparison_basis WHEN 'ratio' THEN pv.value WHEN 'per_unit' THEN pv.value / uc.n END AS province_value
    FROM at_period a
    CROSS JOIN f
    LEFT JOIN indicator_values b ON b.region_code = a.region_code AND b.indicator = a.indicator AND b.period = a.baseline_used
    LEFT JOIN indicator_values pv ON pv.region_code = f.province_code AND pv.indicator = a.indicator AND pv.period = a.as_of_period
    LEFT JOIN unit_counts uc ON uc.region_code = f.province_code AND uc.level = a.peer_level AND uc.year = a.year
),
actual AS (
    SELECT v.*,
           CASE v.target_kind
               WHEN 'total' THEN v.current_value
               WHEN 'ytd_count' THEN v.current_value
               WHEN 'above_province' THEN v.current_value - v.province_value
               ELSE v.current_value - v.baseline_value
           END AS actual_value,
           v.as_of_month / 12 * 100 AS time_progress_pct
    FROM valued v
),
judged AS (
    SELECT a.*,
           CASE WHEN a.target_value > 0 THEN a.actual_value / a.target_value * 100 END AS completion_pct,
           CASE
               WHEN a.actual_value IS NULL THEN 'missing'
               WHEN a.target_kind = 'above_province' AND a.target_value IS NULL THEN
                   CASE WHEN (a.better = 'lower' AND a.actual_value < 0) OR (a.better <> 'lower' AND a.actual_value > 0)
                        THEN 'met' ELSE 'behind' END
               WHEN a.target_value IS NULL THEN 'missing'
               WHEN a.actual_value >= a.target_value THEN 'met'
               WHEN a.actual_value * 12 >= a.target_value * a.as_of_month THEN 'ahead'
               ELSE 'behind'
           END AS status,
           CASE
               WHEN a.current_value IS NULL THEN concat_ws('：', printf('%s当期数缺失', a.as_of_period), a.current_reason)
               WHEN a.target_kind NOT IN ('total', 'ytd_count', 'above_province') AND a.baseline_value IS NULL
                   THEN printf('基期（%s）数缺失', a.baseline_used)
               WHEN a.target_kind = 'above_province' AND a.province_value IS NULL THEN printf('全省%s数缺失', a.as_of_period)
               WHEN a.target_kind <> 'above_province' AND a.target_value IS NULL THEN '目标值缺失'
           END AS missing_reason
    FROM actual a
)
SELECT region_code, region_name, year, as_of_period, CAST(as_of_month AS INTEGER) AS as_of_month,
       indicator, unit, target_kind, description_zh, target_value, target_max,
       baseline_used AS baseline_period, baseline_value, current_value, actual_value, province_value,
       completion_pct, time_progress_pct,
       completion_pct - time_progress_pct AS ahead_points,
       status,
       CASE status WHEN 'met' THEN '已达标' WHEN 'ahead' THEN '快于序时' WHEN 'behind' THEN '慢于序时' ELSE '缺数' END AS status_zh,
       CASE
           WHEN status = 'missing' THEN '缺数：' || missing_reason
           WHEN target_kind = 'above_province' AND target_value IS NULL THEN
               printf('%s全省%.2f%s', CASE WHEN actual_value > 0 THEN '高于' WHEN actual_value < 0 THEN '低于' ELSE '持平' END,
                      abs(actual_value), CASE WHEN kind = 'ratio' THEN '个百分点' ELSE unit END)
           ELSE printf('完成目标的%.1f%%，%s序时进度（%d/12 = %.1f%%）%.1f个百分点%s',
                       completion_pct, CASE WHEN status IN ('met', 'ahead') THEN '快于' ELSE '慢于' END,
                       CAST(as_of_month AS INTEGER), time_progress_pct, abs(completion_pct - time_progress_pct),
                       CASE WHEN status = 'met' THEN '，已达到目标' ELSE '' END)
       END AS progress_text_zh,
       CASE WHEN status = 'missing' THEN missing_reason END AS missing_reason
FROM judged
ORDER BY region_code, year, indicator, target_kind, as_of_period

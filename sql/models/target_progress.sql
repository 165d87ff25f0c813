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
-- column actual_value: 完成值（按目标类型计算；总量目标为比上年末的增量） / achievement, by target kind (a total: the increase since the prior year-end)
-- column needed_value: 需完成的量（总量目标为目标值−基期值，其余为目标值） / what the target asks for: target − baseline for a total, the target otherwise
-- column province_value: 全省比较值 / provincial comparison value, same basis as county_vs_province
-- column completion_pct: 目标完成率（%，完成值÷需完成的量） / actual ÷ needed × 100
-- column time_progress_pct: 序时进度（%，截至月份÷12；提高百分点与高于全省的目标不按序时评价，为空） / time elapsed, as_of_month ÷ 12 × 100; NULL for point and above-province targets
-- column ahead_points: 快于(+)/慢于(−)序时进度的百分点 / completion_pct − time_progress_pct
-- column status: met 已完成 / ahead 快于序时 / on_pace 与序时持平 / behind 慢于序时 / not_met 未达标（全年或高于全省未达到） / on_track 同比已达目标幅度（年末评价） / off_track 同比未达目标幅度（年末评价） / missing 缺数
-- column measure_note: 计算口径说明 / how the achievement was measured, where a reader must know it
-- column status_zh: 状态（中文） / status in Chinese
-- column progress_text_zh: 进度表述（月报用语） / the progress sentence as bulletins word it
-- column missing_reason: 缺数原因 / why the progress cannot be computed
--
-- How each kind is judged (docs/MODELS.md):
--   total: a stock to reach (高新技术企业总数达到630家): the increase since the
--     prior year-end against what the target asks for, (now − base) ÷
--     (target − base), paced against 序时进度; met when the level reaches it.
--   net_increase, new_count, count_this_year: now − base (prior year-end),
--     paced; new_count takes a register's counted additions where one
--     exists (register_flows below), else the stock's net change, noted.
--   ytd_count: the year-to-date count, paced.
--   point_increase (占比提高1个百分点): the share now − the share of the same
--     period a year earlier (同比, 百分点), against the points promised; no
--     序时进度; met or not met only on the full-year (12月) figure.
--   above_province: city − province (百分点 for ratios): met or not met.
-- Pace: completion − time elapsed, compared at the printed precision (one
-- decimal, half away from zero): > 0 ahead, = 0 on pace, < 0 behind; a
-- target not met in December is not met.
WITH f AS (
    SELECT city_code, province_code FROM focus LIMIT 1
),
t AS (
    SELECT tg.*, r.name AS region_name,
           CASE WHEN r.level = 'city' THEN 'city' ELSE 'county' END AS peer_level,
           i.unit, i.kind, i.frequency, i.better, i.comparison_basis, i.decimals, i.flow,
           CASE
               WHEN tg.target_kind IN ('ytd_count', 'above_province') THEN tg.baseline_period
               ELSE coalesce(tg.baseline_period,
                             CASE WHEN i.frequency = 'annual' THEN CAST(tg.year - 1 AS VARCHAR)
                                  ELSE printf('%04d-12', tg.year - 1) END)
           END AS declared_baseline
    FROM targets tg
    JOIN regions r ON r.code = tg.region_code
    JOIN indicators i ON i.code = tg.indicator
),
at_period AS (
    SELECT t.*, v.period AS as_of_period, coalesce(v.month, 12) AS as_of_month,
           v.value AS current_value, v.missing_reason AS current_reason,
           -- A point target compares with the same period a year earlier (同比).
           CASE WHEN t.target_kind = 'point_increase' THEN
                    CASE WHEN v.month IS NULL THEN CAST(t.year - 1 AS VARCHAR)
                         ELSE printf('%04d-%02d', t.year - 1, v.month) END
                ELSE t.declared_baseline
           END AS baseline_used
    FROM t
    JOIN indicator_values v ON v.region_code = t.region_code AND v.indicator = t.indicator AND v.year = t.year
        AND (v.month IS NOT NULL) = (t.frequency = 'monthly')
),
-- The one place a register's flow plugs in: counted additions during the
-- year (新认定, 新备案) per region, indicator, year and as-of period, from the
-- register marts. Where none covers the target, new_count targets on a
-- stock use the stock's net change and say so in measure_note.
register_flows AS (
    -- 新认定/新备案 省级以上 platforms and incubators (platform roster) and
    -- newly recognised high-tech enterprises (certificate roster), year to
    -- date at each month end. Only for an indicator the roster holds rows
    -- of (a platform roster without incubators says nothing of them) and
    -- for months ended by the day the roster was loaded (it cannot know of
    -- later recognitions); elsewhere the stock's net change is used.
    SELECT f.region_code, f.indicator, f.year, f.period AS as_of_period,
           CAST(f.new_ytd AS DOUBLE) AS additions, '创新平台名单' AS source
    FROM platform_new_ytd f
    WHERE f.indicator IN (SELECT t.indicator FROM platform_register pr JOIN platform_types t ON t.key = pr.platform_type)
      AND last_day(make_date(f.year, f.month, 1))
          <= (SELECT max(CAST(loaded_at AS DATE)) FROM register_loads WHERE kind = 'platforms')
    UNION ALL
    SELECT region_code, 'hitech_enterprises', year, period,
           CAST(new_recognized AS DOUBLE), '高新技术企业证书名单'
    FROM hitech_enterprise_flows_monthly
    WHERE last_day(make_date(year, month, 1))
          <= (SELECT max(CAST(loaded_at AS DATE)) FROM register_loads WHERE kind = 'certificates')
),
labelled AS (
    -- Periods as sentences print them: 2020年3月, 2019年.
    SELECT a.*,
           CASE WHEN length(a.as_of_period) = 7
                THEN printf('%d年%d月', CAST(left(a.as_of_period, 4) AS INTEGER), CAST(right(a.as_of_period, 2) AS INTEGER))
                ELSE a.as_of_period || '年' END AS as_of_label,
           CASE WHEN length(a.baseline_used) = 7
                THEN printf('%d年%d月', CAST(left(a.baseline_used, 4) AS INTEGER), CAST(right(a.baseline_used, 2) AS INTEGER))
                ELSE a.baseline_used || '年' END AS baseline_label
    FROM at_period a
),
valued AS (
    SELECT a.*,
           b.value AS baseline_value, b.missing_reason AS baseline_reason,
           rf.additions, rf.source AS flow_source,
           CASE a.comparison_basis WHEN 'ratio' THEN pv.value WHEN 'per_unit' THEN pv.value / uc.n END AS province_value
    FROM labelled a
    CROSS JOIN f
    LEFT JOIN indicator_values b ON b.region_code = a.region_code AND b.indicator = a.indicator AND b.period = a.baseline_used
    LEFT JOIN indicator_values pv ON pv.region_code = f.province_code AND pv.indicator = a.indicator AND pv.period = a.as_of_period
    LEFT JOIN unit_counts uc ON uc.region_code = f.province_code AND uc.level = a.peer_level AND uc.year = a.year
    LEFT JOIN register_flows rf ON rf.region_code = a.region_code AND rf.indicator = a.indicator
        AND rf.year = a.year AND rf.as_of_period = a.as_of_period
),
actual AS (
    SELECT v.*,
           CASE
               WHEN v.target_kind = 'ytd_count' THEN v.current_value
               WHEN v.target_kind = 'above_province' THEN v.current_value - v.province_value
               WHEN v.target_kind = 'new_count' AND v.additions IS NOT NULL THEN v.additions
               ELSE v.current_value - v.baseline_value
           END AS actual_value,
           CASE WHEN v.target_kind = 'total' THEN v.target_value - v.baseline_value ELSE v.target_value END AS needed_value,
           CASE WHEN v.target_kind IN ('point_increase', 'above_province') THEN NULL
                ELSE v.as_of_month / 12 * 100 END AS time_progress_pct
    FROM valued v
),
paced AS (
    SELECT a.*,
           CASE WHEN a.needed_value > 0 THEN a.actual_value / a.needed_value * 100 END AS completion_pct
    FROM actual a
),
judged AS (
    SELECT a.*,
           completion_pct - time_progress_pct AS ahead_points,
           CASE
               WHEN a.actual_value IS NULL THEN 'missing'
               WHEN a.target_kind = 'above_province' AND a.target_value IS NULL THEN
                   CASE WHEN (a.better = 'lower' AND a.actual_value < 0) OR (a.better <> 'lower' AND a.actual_value > 0)
                        THEN 'met' ELSE 'not_met' END
               WHEN a.target_value IS NULL THEN 'missing'
               WHEN a.target_kind = 'total' AND a.current_value >= a.target_value THEN 'met'
               WHEN a.target_kind <> 'total' AND a.actual_value >= a.target_value THEN
                   CASE WHEN a.target_kind = 'point_increase' AND a.as_of_month < 12 THEN 'on_track' ELSE 'met' END
               WHEN a.as_of_month = 12 THEN 'not_met'
               WHEN a.target_kind = 'point_increase' THEN 'off_track'
               WHEN a.completion_pct IS NULL THEN 'missing'
               -- At the printed precision: one decimal, half away from zero
               -- on the decimal value (DECIMAL rounds so; DOUBLE would not).
               WHEN round(CAST(a.completion_pct - a.time_progress_pct AS DECIMAL(18, 6)), 1) > 0 THEN 'ahead'
               WHEN round(CAST(a.completion_pct - a.time_progress_pct AS DECIMAL(18, 6)), 1) = 0 THEN 'on_pace'
               ELSE 'behind'
           END AS status,
           CASE
               WHEN a.current_value IS NULL THEN printf('%s数据暂缺', a.as_of_label) || coalesce('（' || a.current_reason || '）', '')
               WHEN a.target_kind NOT IN ('ytd_count', 'above_province') AND a.baseline_value IS NULL AND a.additions IS NULL
                   THEN printf('基期（%s）数据暂缺', a.baseline_label) || coalesce('（' || a.baseline_reason || '）', '')
               WHEN a.target_kind = 'above_province' AND a.province_value IS NULL THEN printf('全省%s数据暂缺', a.as_of_label)
               WHEN a.target_kind <> 'above_province' AND a.target_value IS NULL THEN '目标值缺失'
               WHEN a.target_kind = 'total' AND a.needed_value <= 0 AND a.current_value < a.target_value THEN '基期值已达目标值，增量无法计算'
           END AS missing_reason,
           CASE
               WHEN a.target_kind = 'new_count' AND a.additions IS NOT NULL THEN printf('按登记册新增数计算（%s）', a.flow_source)
               WHEN a.target_kind = 'new_count' AND a.flow = false
                   THEN printf('按存量净变化计算（期末数−%s末数），期间撤销或到期的会抵消新增', a.baseline_label)
               WHEN a.target_kind = 'total' THEN printf('按比%s末的增量计算（目标值−基期值）', a.baseline_label)
               WHEN a.target_kind = 'point_increase' THEN printf('与上年同期（%s）比较，以全年数评价', a.baseline_label)
           END AS measure_note
    FROM paced a
),
fmt AS (
    SELECT j.*,
           -- Printed numbers: one decimal, half away from zero (DECIMAL round).
           CAST(round(CAST(completion_pct AS DECIMAL(18, 6)), 1) AS VARCHAR) AS completion_txt,
           CAST(round(CAST(time_progress_pct AS DECIMAL(18, 6)), 1) AS VARCHAR) AS time_txt,
           CAST(round(CAST(abs(ahead_points) AS DECIMAL(18, 6)), 1) AS VARCHAR) AS ahead_txt,
           CASE decimals WHEN 0 THEN CAST(round(CAST(abs(actual_value) AS DECIMAL(18, 6)), 0) AS VARCHAR)
                         WHEN 1 THEN CAST(round(CAST(abs(actual_value) AS DECIMAL(18, 6)), 1) AS VARCHAR)
                         WHEN 2 THEN CAST(round(CAST(abs(actual_value) AS DECIMAL(18, 6)), 2) AS VARCHAR)
                         ELSE CAST(round(CAST(abs(actual_value) AS DECIMAL(18, 6)), 3) AS VARCHAR) END AS actual_txt
    FROM judged j
)
SELECT region_code, region_name, year, as_of_period, CAST(as_of_month AS INTEGER) AS as_of_month,
       indicator, unit, target_kind, description_zh, target_value, target_max,
       baseline_used AS baseline_period, baseline_value, current_value, actual_value, needed_value, province_value,
       completion_pct, time_progress_pct,
       ahead_points,
       status,
       CASE status WHEN 'met' THEN '已完成' WHEN 'ahead' THEN '快于序时' WHEN 'on_pace' THEN '与序时持平'
                   WHEN 'behind' THEN '慢于序时' WHEN 'not_met' THEN '未达标'
                   WHEN 'on_track' THEN '同比已达目标幅度' WHEN 'off_track' THEN '同比未达目标幅度' ELSE '缺数' END AS status_zh,
       CASE
           WHEN status = 'missing' THEN '缺数：' || missing_reason
           WHEN target_kind IN ('above_province', 'point_increase') THEN
               concat(CASE WHEN target_kind = 'above_province' THEN
                           CASE WHEN actual_value > 0 THEN '高于全省' WHEN actual_value < 0 THEN '低于全省' ELSE '与全省持平' END
                      ELSE CASE WHEN actual_value > 0 THEN '同比提高' WHEN actual_value < 0 THEN '同比下降' ELSE '与上年同期持平' END END,
                      CASE WHEN actual_value <> 0 THEN actual_txt || CASE WHEN kind = 'ratio' THEN '个百分点' ELSE unit END END,
                      CASE status WHEN 'met' THEN '，已完成' WHEN 'not_met' THEN '，未达标'
                                  WHEN 'on_track' THEN '，已达目标幅度（以全年数评价）'
                                  WHEN 'off_track' THEN '，未达目标幅度（以全年数评价）' ELSE '' END)
           -- A total whose baseline already reached the target has no
           -- completion rate: met or not, without one.
           WHEN status = 'met' THEN coalesce(printf('已完成（完成目标的%s%%）', completion_txt), '已完成')
           WHEN status = 'not_met' THEN coalesce(printf('未完成（完成目标的%s%%）', completion_txt), '未完成')
           WHEN status = 'on_pace' THEN printf('完成目标的%s%%，与序时进度（%d/12 = %s%%）持平', completion_txt, CAST(as_of_month AS INTEGER), time_txt)
           ELSE printf('完成目标的%s%%，%s序时进度（%d/12 = %s%%）%s个百分点',
                       completion_txt, CASE WHEN status = 'ahead' THEN '快于' ELSE '慢于' END,
                       CAST(as_of_month AS INTEGER), time_txt, ahead_txt)
       END AS progress_text_zh,
       CASE WHEN status = 'missing' THEN missing_reason END AS missing_reason,
       measure_note
FROM fmt
ORDER BY region_code, year, indicator, target_kind, as_of_period

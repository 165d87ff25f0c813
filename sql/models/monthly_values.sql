-- materialized: view
-- description: 月度流量指标的当月值（由1-N月累计推算） / Single-month values of the monthly flows, derived from year-to-date figures
-- column region_code: 区划代码 / region code
-- column period: 期别 YYYY-MM / period
-- column year: 年份 / year
-- column month: 月份 / month
-- column indicator: 指标代码 / indicator code
-- column ytd_value: 1-N月累计值 / year-to-date value
-- column month_value: 当月值（1月=累计值；其余=本月累计−上月累计；比率由分子分母当月值重算） / single-month value: January = YTD; else YTD(N) − YTD(N−1); ratios from their parts' single-month values
-- column missing_reason: 当月值缺失原因 / why month_value is missing
--
-- A ratio flow (high-tech output share) is not differenced: its single-month
-- value is the numerator's single-month value ÷ the denominator's × scale.
WITH flows AS (
    SELECT code, kind, numerator, denominator, scale
    FROM indicators
    WHERE flow AND frequency = 'monthly'
),
ytd AS (
    SELECT v.region_code, v.period, v.year, v.month, v.indicator, v.value AS ytd_value,
           CASE WHEN v.month = 1 THEN v.value ELSE v.value - p.value END AS month_value,
           CASE
               WHEN v.value IS NULL THEN concat_ws('：', printf('%d月累计缺失', v.month), v.missing_reason)
               WHEN v.month > 1 AND p.value IS NULL
                   THEN concat_ws('：', printf('%d月累计缺失', v.month - 1), coalesce(p.missing_reason, '无数据'))
           END AS missing_reason
    FROM indicator_values v
    JOIN flows fl ON fl.code = v.indicator
    LEFT JOIN indicator_values p ON p.region_code = v.region_code AND p.indicator = v.indicator
        AND p.year = v.year AND p.month = v.month - 1
    WHERE v.month IS NOT NULL
)
SELECT y.region_code, y.period, CAST(y.year AS INTEGER) AS year, CAST(y.month AS INTEGER) AS month, y.indicator, y.ytd_value,
       CASE WHEN fl.numerator IS NULL THEN y.month_value
            WHEN d.month_value <> 0 THEN n.month_value / d.month_value * fl.scale
       END AS month_value,
       CASE WHEN fl.numerator IS NULL THEN y.missing_reason
            WHEN n.month_value IS NULL OR d.month_value IS NULL
                THEN concat_ws('；', '当月值暂缺', n.missing_reason,
                               CASE WHEN d.missing_reason IS DISTINCT FROM n.missing_reason THEN d.missing_reason END)
            WHEN d.month_value = 0 THEN '分母当月值为0'
       END AS missing_reason
FROM ytd y
JOIN flows fl ON fl.code = y.indicator
LEFT JOIN ytd n ON n.region_code = y.region_code AND n.period = y.period AND n.indicator = fl.numerator
LEFT JOIN ytd d ON d.region_code = y.region_code AND d.period = y.period AND d.indicator = fl.denominator

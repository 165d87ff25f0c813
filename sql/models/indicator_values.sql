-- materialized: table
-- description: 指标值（比率由分子分母在各级重算） / Every indicator value, ratios recomputed from their parts at every level
-- column region_code: 区划代码 / region code
-- column period: 期别 YYYY 或 YYYY-MM / period
-- column year: 年份 / year
-- column month: 月份（年度为空） / month, NULL for annual periods
-- column indicator: 指标代码 / indicator code
-- column value: 数值（目录单位；空=缺失） / value in catalog unit, NULL when missing
-- column missing_reason: 缺失原因 / why the value is missing
-- column derivation: reported 报送值, computed 由分子分母重算, missing 缺失 / how the value was obtained
-- column status: 初步 provisional / 核实 final
-- column vintage: 使用的数据版本 / vintage of the facts used
--
-- A ratio (R&D intensity, high-tech output share) is never averaged: it is
-- numerator ÷ denominator × scale for each region and period, provinces
-- included. A reported ratio is used only where a part is missing.
WITH ratio_defs AS (
    SELECT i.code AS indicator, i.numerator, i.denominator, i.scale,
           n.name_zh AS numerator_name, d.name_zh AS denominator_name
    FROM indicators i
    JOIN indicators n ON n.code = i.numerator
    JOIN indicators d ON d.code = i.denominator
    WHERE i.numerator IS NOT NULL
),
parts AS (
    SELECT r.indicator, b.region_code, b.period, any_value(b.year) AS year, any_value(b.month) AS month,
           max(b.value) FILTER (WHERE b.indicator = r.numerator) AS num,
           max(b.value) FILTER (WHERE b.indicator = r.denominator) AS den,
           max(b.missing_reason) FILTER (WHERE b.indicator = r.numerator) AS num_reason,
           max(b.missing_reason) FILTER (WHERE b.indicator = r.denominator) AS den_reason,
           bool_and(b.status = 'final') AS all_final,
           max(b.vintage) AS vintage,
           any_value(r.scale) AS scale,
           any_value(r.numerator_name) AS numerator_name,
           any_value(r.denominator_name) AS denominator_name
    FROM ratio_defs r
    JOIN facts_latest b ON b.indicator IN (r.numerator, r.denominator)
    GROUP BY r.indicator, b.region_code, b.period
),
computed AS (
    SELECT indicator, region_code, period, year, month,
           CASE WHEN num IS NOT NULL AND den IS NOT NULL AND den <> 0 THEN num / den * scale END AS value,
           -- Reasons in words, each said once (issue 14, item 11): the
           -- parts by name, not 分子/分母; one reason when both parts give it.
           CASE
               WHEN num IS NULL AND den IS NULL THEN concat_ws('；', numerator_name || '和' || denominator_name || '暂缺',
                                                          num_reason, CASE WHEN den_reason IS DISTINCT FROM num_reason THEN den_reason END)
               WHEN num IS NULL THEN concat_ws('；', numerator_name || '暂缺', num_reason)
               WHEN den IS NULL THEN concat_ws('；', denominator_name || '暂缺', den_reason)
               WHEN den = 0 THEN denominator_name || '为0'
           END AS missing_reason,
           CASE WHEN all_final THEN 'final' ELSE 'provisional' END AS status,
           vintage
    FROM parts
),
reported AS (
    SELECT f.indicator, f.region_code, f.period, f.year, f.month, f.value, f.missing_reason, f.status, f.vintage
    FROM facts_latest f
)
SELECT coalesce(c.region_code, r.region_code) AS region_code,
       coalesce(c.period, r.period) AS period,
       coalesce(c.year, r.year) AS year,
       coalesce(c.month, r.month) AS month,
       coalesce(c.indicator, r.indicator) AS indicator,
       coalesce(c.value, r.value) AS value,
       CASE WHEN coalesce(c.value, r.value) IS NULL THEN coalesce(c.missing_reason, r.missing_reason, '未报送') END AS missing_reason,
       CASE WHEN c.value IS NOT NULL THEN 'computed' WHEN r.value IS NOT NULL THEN 'reported' ELSE 'missing' END AS derivation,
       CASE WHEN c.value IS NOT NULL THEN c.status ELSE coalesce(r.status, c.status) END AS status,
       CASE WHEN c.value IS NOT NULL THEN c.vintage ELSE coalesce(r.vintage, c.vintage) END AS vintage
FROM computed c
FULL JOIN reported r USING (indicator, region_code, period)

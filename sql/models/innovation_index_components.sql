-- materialized: table
-- description: 创新指数构成指标（归一化过程） / Components of the innovation index: raw value, intensity, transform and min–max normalisation
-- column region_code: 区划代码 / region code
-- column year: 年份 / year
-- column indicator: 构成指标 / component indicator
-- column period: 取值期别（年度或12月） / period the value is taken from (the year, or December)
-- column raw_value: 原始值（目录单位） / value in the catalog unit
-- column per_value: 强度化分母值（如GDP） / value of the per_indicator (e.g. GDP)
-- column intensity_value: 强度值（原始值÷分母×系数；无分母时为原始值） / raw ÷ per_value × per_scale, or raw when no per_indicator
-- column transformed: 变换后值（sqrt 或不变） / intensity value after the transform
-- column window_min: 窗口内（全部单位、全部年份）最小值 / minimum over every unit and year of the window
-- column window_max: 窗口内最大值 / maximum over every unit and year of the window
-- column normalised: 归一化值 0–1 =(变换后值−最小值)÷(最大值−最小值) / (transformed − min) ÷ (max − min), 0–1
-- column weight: 权重 / weight
-- column missing_reason: 缺失原因 / why the component is missing
--
-- Units: the focus city's counties and zones, the city and the province,
-- each in the years its code is valid. Years: index_settings' window. The
-- min and max span all those units and years together (EIS method), so a
-- score is comparable across years. When max = min the component carries
-- no information and is left out (normalised NULL).
WITH f AS (
    SELECT city_code, province_code FROM focus LIMIT 1
),
s AS (
    SELECT first_year, last_year FROM index_settings LIMIT 1
),
units AS (
    SELECT r.code AS region_code, r.valid_from, r.valid_to
    FROM regions r, f
    WHERE r.code IN (f.province_code, f.city_code)
       OR (r.level IN ('county', 'zone') AND r.parent_code = f.city_code)
),
years AS (
    SELECT DISTINCT iv.year
    FROM indicator_values iv, s
    WHERE iv.indicator IN (SELECT indicator FROM index_parameters)
      AND iv.year >= s.first_year AND (s.last_year IS NULL OR iv.year <= s.last_year)
),
grid AS (
    SELECT u.region_code, y.year, p.indicator, p.weight, p.transform, p.per_indicator, p.per_scale,
           CASE WHEN i.frequency = 'annual' THEN CAST(y.year AS VARCHAR) ELSE printf('%04d-12', y.year) END AS period,
           CASE WHEN di.frequency = 'annual' THEN CAST(y.year AS VARCHAR) ELSE printf('%04d-12', y.year) END AS per_period,
           -- Reasons in words (issue 14, item 11): names and 2020年, not codes.
           i.name_zh AS indicator_name, di.name_zh AS per_name,
           CASE WHEN i.frequency = 'annual' THEN printf('%d年', y.year) ELSE printf('%d年末', y.year) END AS period_label,
           CASE WHEN di.frequency = 'annual' THEN printf('%d年', y.year) ELSE printf('%d年末', y.year) END AS per_label
    FROM units u
    CROSS JOIN years y
    CROSS JOIN index_parameters p
    JOIN indicators i ON i.code = p.indicator
    LEFT JOIN indicators di ON di.code = p.per_indicator
    WHERE (u.valid_from IS NULL OR y.year >= u.valid_from) AND (u.valid_to IS NULL OR y.year <= u.valid_to)
),
valued AS (
    SELECT g.*, v.value AS raw_value, v.missing_reason AS raw_reason, d.value AS per_value,
           CASE
               WHEN g.per_indicator IS NULL THEN v.value
               WHEN d.value > 0 THEN v.value / d.value * g.per_scale
           END AS intensity_value
    FROM grid g
    LEFT JOIN indicator_values v ON v.region_code = g.region_code AND v.indicator = g.indicator AND v.period = g.period
    LEFT JOIN indicator_values d ON d.region_code = g.region_code AND d.indicator = g.per_indicator AND d.period = g.per_period
),
transformed AS (
    SELECT v.*,
           CASE v.transform WHEN 'sqrt' THEN sqrt(v.intensity_value) ELSE v.intensity_value END AS transformed
    FROM valued v
),
bounded AS (
    SELECT t.*,
           min(t.transformed) OVER (PARTITION BY t.indicator) AS window_min,
           max(t.transformed) OVER (PARTITION BY t.indicator) AS window_max
    FROM transformed t
)
SELECT region_code, CAST(year AS INTEGER) AS year, indicator, period, raw_value, per_value, intensity_value, transformed,
       window_min, window_max,
       CASE WHEN window_max > window_min THEN (transformed - window_min) / (window_max - window_min) END AS normalised,
       weight,
       CASE
           WHEN raw_value IS NULL THEN printf('%s%s数据暂缺', period_label, indicator_name) || coalesce('（' || raw_reason || '）', '')
           WHEN per_indicator IS NOT NULL AND (per_value IS NULL OR per_value <= 0) THEN printf('%s%s数据暂缺', per_label, per_name)
           WHEN NOT (window_max > window_min) THEN '窗口内各单位数值相同，不参与计算'
       END AS missing_reason
FROM bounded
ORDER BY region_code, year, indicator

-- The province's cities per period and indicator; tiers: top 4, 5-10, 11-.
CREATE TABLE city_ranking AS
WITH f AS (SELECT city_code, province_code FROM focus LIMIT 1),
v AS (
    SELECT iv.region_code, r.name AS region_name, iv.period, iv.year, iv.indicator, iv.value,
           i.unit, i.decimals, i.better, i.comparison_basis
    FROM indicator_values iv
    JOIN regions r ON r.code = iv.region_code
    JOIN indicators i ON i.code = iv.indicator, f
    WHERE r.level = 'city' AND r.parent_code = f.province_code
),
ranked AS (
    SELECT v.*,
           CASE WHEN value IS NOT NULL THEN CAST(rank() OVER (PARTITION BY period, indicator, value IS NULL
                ORDER BY CASE WHEN better = 'lower' THEN value ELSE -value END) AS INTEGER) END AS rank,
           CAST(count(value) OVER (PARTITION BY period, indicator) AS INTEGER) AS peer_count
    FROM v
),
tiered AS (
    SELECT ranked.*,
           CASE WHEN rank IS NULL THEN NULL WHEN rank <= 4 THEN 1 WHEN rank <= 10 THEN 2 ELSE 3 END AS tier
    FROM ranked
),
prov AS (
    SELECT iv.period, iv.indicator, iv.value, uc.n
    FROM indicator_values iv
    JOIN f ON iv.region_code = f.province_code
    LEFT JOIN unit_counts uc ON uc.region_code = iv.region_code AND uc.level = 'city' AND uc.year = iv.year
)
SELECT t.region_code, t.region_name, t.period, t.indicator, t.value, t.unit, t.decimals, t.rank, t.peer_count,
       p.rank AS prev_rank, CAST(p.rank - t.rank AS INTEGER) AS rank_change,
       t.tier, CASE t.tier WHEN 1 THEN '第一梯队' WHEN 2 THEN '第二梯队' WHEN 3 THEN '第三梯队' END AS tier_name,
       CASE WHEN t.tier > 1 THEN min(t.value) FILTER (WHERE t.tier = 1) OVER (PARTITION BY t.period, t.indicator) - t.value END
           AS gap_to_first_tier,
       CASE t.comparison_basis WHEN 'ratio' THEN pv.value ELSE pv.value / pv.n END AS province_value,
       t.value - CASE t.comparison_basis WHEN 'ratio' THEN pv.value ELSE pv.value / pv.n END AS gap_to_province,
       t.region_code = (SELECT city_code FROM f) AS is_focus
FROM tiered t
LEFT JOIN prov pv ON pv.period = t.period AND pv.indicator = t.indicator
LEFT JOIN ranked p ON p.region_code = t.region_code AND p.indicator = t.indicator
     AND p.period = CAST(CAST(left(t.period, 4) AS INTEGER) - 1 AS VARCHAR) || substr(t.period, 5);

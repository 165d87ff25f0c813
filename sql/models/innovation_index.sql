-- materialized: table
-- description: 区县创新指数（全省=100） / Composite innovation index of the focus city's counties and zones, the city and the province (= 100), EIS method
-- column region_code: 区划代码 / region code
-- column region_name: 名称 / region name
-- column level: 层级 province/city/county/zone / level
-- column year: 年份 / year
-- column score: 综合得分 0–100（归一化值的加权平均×100） / weighted mean of the normalised components × 100
-- column index_vs_province: 相对全省指数（全省=100） / score ÷ the province's score × 100
-- column performance_group: 分组 leader/strong/moderate/emerging（见 index_groups） / performance group
-- column group_zh: 分组（中文） / group in Chinese
-- column components: 参与计算的构成指标数 / number of components with a value
-- column weight_share: 有数据的权重占比 / share of the total weight with data
-- column rank: 位次（区县与功能区之间；全市、全省为空） / rank among the counties and zones, ties share a rank
-- column peer_count: 参与排名的单位数 / number of ranked counties and zones
-- column missing_reason: 无得分原因 / why there is no score
--
-- score = Σ weight × normalised ÷ Σ weight over the components with a value,
-- × 100, given at least index_settings.min_weight_share of the weight has
-- data. Group: the index_groups row with the highest min_index ≤ index.
WITH s AS (
    SELECT min_weight_share FROM index_settings LIMIT 1
),
agg AS (
    SELECT c.region_code, c.year,
           count(c.normalised) AS components,
           coalesce(sum(c.weight) FILTER (WHERE c.normalised IS NOT NULL), 0) / sum(c.weight) AS weight_share,
           sum(c.weight * c.normalised) / sum(c.weight) FILTER (WHERE c.normalised IS NOT NULL) * 100 AS weighted,
           count(c.raw_value) AS reported
    FROM innovation_index_components c
    GROUP BY c.region_code, c.year
),
scored AS (
    SELECT a.*, r.name AS region_name, r.level,
           CASE WHEN a.weight_share >= s.min_weight_share THEN a.weighted END AS score
    FROM agg a
    CROSS JOIN s
    JOIN regions r ON r.code = a.region_code
    WHERE a.reported > 0
),
prov AS (
    SELECT sc.year, sc.score
    FROM scored sc
    JOIN focus fo ON fo.province_code = sc.region_code
),
indexed AS (
    SELECT sc.*,
           CASE WHEN p.score > 0 THEN sc.score / p.score * 100 END AS index_vs_province,
           CASE WHEN sc.level IN ('county', 'zone') AND sc.score IS NOT NULL THEN
               rank() OVER (PARTITION BY sc.year, sc.level IN ('county', 'zone'), sc.score IS NULL ORDER BY sc.score DESC)
           END AS rank,
           count(sc.score) FILTER (WHERE sc.level IN ('county', 'zone')) OVER (PARTITION BY sc.year) AS peer_count
    FROM scored sc
    LEFT JOIN prov p ON p.year = sc.year
),
groups AS (
    -- Each group spans [min_index, the next higher min_index).
    SELECT code, name_zh,
           coalesce(min_index, '-infinity'::DOUBLE) AS lo,
           lead(min_index) OVER (ORDER BY min_index NULLS FIRST) AS hi
    FROM index_groups
)
SELECT i.region_code, i.region_name, i.level, CAST(i.year AS INTEGER) AS year, i.score, i.index_vs_province,
       g.code AS performance_group, g.name_zh AS group_zh,
       CAST(i.components AS INTEGER) AS components, i.weight_share,
       CAST(i.rank AS INTEGER) AS rank,
       CAST(i.peer_count AS INTEGER) AS peer_count,
       CASE
           WHEN i.score IS NULL THEN printf('有数据的权重占比%.0f%%，低于要求的%.0f%%', i.weight_share * 100, s.min_weight_share * 100)
           WHEN i.index_vs_province IS NULL THEN '全省得分缺失'
       END AS missing_reason
FROM indexed i
CROSS JOIN s
LEFT JOIN groups g ON i.index_vs_province >= g.lo AND (g.hi IS NULL OR i.index_vs_province < g.hi)
ORDER BY i.year, i.level = 'province' DESC, i.level = 'city' DESC, i.rank NULLS LAST, i.region_code

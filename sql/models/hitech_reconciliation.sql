-- materialized: table
-- description: 证书名单计数与报送的高新技术企业数对照（差异列示，不替换报送值） / The roster's count next to the reported hitech_enterprises figure; the difference is shown, never silently replaced
-- column region_code: 区划代码 / region code
-- column region_name: 名称 / region name
-- column level: 层级 / level
-- column period: 期别 YYYY-MM / period
-- column roster_value: 名单计数（月末有效企业数） / enterprises valid at the month end, from the roster
-- column reported_value: 报送值 / reported hitech_enterprises
-- column difference: 差异 = 名单 − 报送 / roster − reported
-- column note_zh: 说明 / note (missing report, zone overlap)
SELECT f.region_code, f.region_name, f.level, f.period, f.valid_end AS roster_value,
       v.value AS reported_value,
       f.valid_end - v.value AS difference,
       CASE
           WHEN v.value IS NULL THEN concat_ws('：', '报送数缺失', v.missing_reason)
           WHEN f.level = 'zone' AND f.valid_end <> v.value THEN '功能区报送数与所在县区重叠；名单中每家企业只计入一个县区'
           WHEN f.valid_end <> v.value THEN '名单与报送数不一致，请核对'
       END AS note_zh
FROM hitech_enterprise_flows_monthly f
LEFT JOIN indicator_values v ON v.region_code = f.region_code AND v.period = f.period AND v.indicator = 'hitech_enterprises'
ORDER BY f.region_code, f.period

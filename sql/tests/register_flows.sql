-- severity: error
-- description: 名单模型：期末 = 期初 + 新认定 − 到期 − 撤销；每个键一行 / register marts: valid_end = valid_start + new − expired − revoked, one row per key
SELECT 'hitech_enterprise_flows_monthly' AS mart, concat_ws('|', region_code, period) AS key, 'identity' AS rule
FROM hitech_enterprise_flows_monthly
WHERE valid_end <> valid_start + new_recognized - expired - revoked
UNION ALL
SELECT 'hitech_enterprise_flows_monthly', concat_ws('|', region_code, period), 'unique'
FROM hitech_enterprise_flows_monthly GROUP BY region_code, period HAVING count(*) > 1
UNION ALL
SELECT 'cultivation_candidates', concat_ws('|', uscc, eval_year), 'unique'
FROM cultivation_candidates GROUP BY uscc, eval_year HAVING count(*) > 1
UNION ALL
SELECT 'platform_new_ytd', concat_ws('|', region_code, period, indicator), 'unique'
FROM platform_new_ytd GROUP BY region_code, period, indicator HAVING count(*) > 1
UNION ALL
SELECT 'hitech_outlook', concat_ws('|', region_code, as_of_period), 'unique'
FROM hitech_outlook GROUP BY region_code, as_of_period HAVING count(*) > 1

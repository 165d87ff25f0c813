-- materialized: table
-- description: 高新技术企业数的年度变动（来自证书名单）：期初 + 新认定 − 到期未重新认定 − 撤销 = 期末 / High-tech enterprises from the certificate roster, yearly: valid at the start, new, renewed, expired, revoked, valid at the end
-- column region_code: 区划代码 / region code
-- column region_name: 名称 / region name
-- column level: 层级 county/zone/city/province / level
-- column year: 年份 / year
-- column valid_start: 上年末有效企业数 / enterprises with a valid certificate on 31 Dec of the previous year
-- column new_recognized: 新认定 / newly recognised (valid at the end, not at the start)
-- column renewed: 重新认定（不改变企业数） / renewed while still valid (no change in the count)
-- column expired: 到期未重新认定 / expired and not renewed
-- column revoked: 撤销 / revoked
-- column returned_after_lapse: 年内到期后又获认定 / lapsed and recognised again within the year
-- column valid_end: 年末有效企业数 / enterprises with a valid certificate on 31 December
-- column net_change: 净增 = 期末 − 期初 / net change
SELECT region_code, region_name, level, year, valid_start, new_recognized, renewed, expired, revoked,
       returned_after_lapse, valid_end, valid_end - valid_start AS net_change
FROM hitech_enterprise_flows_monthly
WHERE month = 12
ORDER BY region_code, year

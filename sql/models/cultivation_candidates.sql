-- materialized: table
-- description: 培育库企业对照高新技术企业认定条件（国科发火〔2016〕32号）与科技型中小企业评价（企业级，保密） / Cultivation candidates against the recognition conditions and the tech-SME score (enterprise level, confidential)
-- column uscc: 统一社会信用代码 / unified social credit code
-- column name: 企业名称 / enterprise name
-- column region_code: 所在县区 / county-level unit
-- column eval_year: 评价年度 / evaluation year
-- column sci_staff_share: 科技人员占职工总数比例（%） / S&T staff ÷ staff × 100
-- column rd_ratio: 近三年研发费用占销售收入比例（%） / three-year R&D ÷ three-year revenue × 100
-- column rd_required: 按近一年销售收入应达比例（%）：≤5000万元 5，≤2亿元 4，以上 3 / required three-year R&D ratio by latest-year revenue
-- column domestic_rd_share: 境内研发费用占比（%） / domestic R&D ÷ R&D × 100
-- column hitech_revenue_share: 高新技术产品（服务）收入占总收入比例（%） / high-tech revenue ÷ total income × 100
-- column failed_conditions: 未满足的条件 / conditions not met: registered_under_1_year, no_ip, sci_staff_share, rd_ratio, domestic_rd_share, hitech_revenue_share
-- column failed_count: 未满足条件数 / number of conditions not met
-- column hitech_eligible: 满足全部认定条件 / meets every condition
-- column rd_gap_wan: 研发费用比例尚差（万元，近三年合计需增加额；满足为0） / extra three-year R&D the ratio needs, 万元 (0 when met)
-- column sci_staff_gap: 科技人员尚差（人；满足为0） / S&T staff missing for 10 % (0 when met)
-- column domestic_rd_gap_wan: 境内研发费用尚差（万元） / extra domestic R&D for 60 % of R&D
-- column hitech_revenue_gap_wan: 高新技术产品收入尚差（万元） / extra high-tech revenue for 60 % of total income
-- column lacks_zh: 尚缺条件及差距（中文） / what the candidate lacks and by how much, in Chinese
-- column sme_staff_points: 科技人员指标得分（满分20） / S&T staff points (of 20)
-- column sme_rd_points: 研发投入指标得分（满分50） / R&D intensity points (of 50)
-- column sme_ip_points: 知识产权指标得分（满分30） / IP points (of 30)
-- column sme_score: 科技型中小企业评价得分 / tech-SME score
-- column sme_size_ok: 规模符合（职工≤500人、销售收入与资产总额≤2亿元） / size limits met
-- column holds_certificate: 评价年度末持有效高企证书 / holds a valid high-tech certificate on 31 Dec of the evaluation year
-- column sme_eligible: 符合科技型中小企业条件（≥60分且科技人员得分不为0且规模符合，或持有效高企证书） / tech-SME eligible
WITH p AS (
    SELECT *,
           CAST(sci_staff AS DOUBLE) / nullif(staff, 0) AS staff_share,
           rd_3y_wan / nullif(revenue_3y_wan, 0) AS rd3,
           CASE WHEN revenue_1y_wan <= 5000 THEN 0.05 WHEN revenue_1y_wan <= 20000 THEN 0.04 ELSE 0.03 END::DOUBLE AS req,
           rd_domestic_3y_wan / nullif(rd_3y_wan, 0) AS dom,
           hitech_revenue_wan / nullif(total_income_wan, 0) AS hts,
           rd_1y_wan / nullif(revenue_1y_wan, 0) AS rd1
    FROM cultivation_pool
),
cert AS (
    SELECT DISTINCT p.uscc, p.eval_year
    FROM p JOIN hitech_certificates c ON c.uscc = p.uscc
    WHERE c.issued_on <= make_date(p.eval_year, 12, 31)
      AND make_date(p.eval_year, 12, 31) < least(CAST(c.issued_on + INTERVAL 3 YEAR AS DATE), coalesce(c.revoked_on, DATE '9999-12-31'))
),
judged AS (
    SELECT p.*,
           list_filter([
               CASE WHEN founded_on > make_date(eval_year - 1, 12, 31) THEN 'registered_under_1_year' END,
               CASE WHEN ip_class1 + ip_class2 = 0 THEN 'no_ip' END,
               CASE WHEN coalesce(staff_share, 0) < 0.10 THEN 'sci_staff_share' END,
               CASE WHEN rd3 IS NULL OR rd3 < req THEN 'rd_ratio' END,
               CASE WHEN dom IS NULL OR dom < 0.60 THEN 'domestic_rd_share' END,
               CASE WHEN hts IS NULL OR hts < 0.60 THEN 'hitech_revenue_share' END
           ], x -> x IS NOT NULL) AS failed,
           CASE WHEN staff_share >= 0.30 THEN 20 WHEN staff_share >= 0.25 THEN 16 WHEN staff_share >= 0.20 THEN 12
                WHEN staff_share >= 0.15 THEN 8 WHEN staff_share >= 0.10 THEN 4 ELSE 0 END AS staff_pts,
           CASE WHEN rd1 >= 0.06 THEN 50 WHEN rd1 >= 0.05 THEN 40 WHEN rd1 >= 0.04 THEN 30
                WHEN rd1 >= 0.03 THEN 20 WHEN rd1 >= 0.02 THEN 10 ELSE 0 END AS rd_pts,
           CASE WHEN ip_class1 > 0 THEN 30 WHEN ip_class2 >= 4 THEN 24 WHEN ip_class2 = 3 THEN 18
                WHEN ip_class2 = 2 THEN 12 WHEN ip_class2 = 1 THEN 6 ELSE 0 END AS ip_pts,
           greatest(0, req * revenue_3y_wan - rd_3y_wan) AS rd_gap,
           CAST(greatest(0, ceil(0.10 * staff - 1e-9) - sci_staff) AS INTEGER) AS staff_gap,
           greatest(0, 0.60 * rd_3y_wan - rd_domestic_3y_wan) AS dom_gap,
           greatest(0, 0.60 * total_income_wan - hitech_revenue_wan) AS hts_gap,
           c.uscc IS NOT NULL AS holds
    FROM p LEFT JOIN cert c USING (uscc, eval_year)
)
SELECT uscc, name, region_code, eval_year,
       round(staff_share * 100, 2) AS sci_staff_share,
       round(rd3 * 100, 2) AS rd_ratio,
       CAST(req * 100 AS DOUBLE) AS rd_required,
       round(dom * 100, 2) AS domestic_rd_share,
       round(hts * 100, 2) AS hitech_revenue_share,
       failed AS failed_conditions,
       CAST(len(failed) AS INTEGER) AS failed_count,
       len(failed) = 0 AS hitech_eligible,
       CASE WHEN list_contains(failed, 'rd_ratio') THEN round(CAST(rd_gap AS DOUBLE), 1) ELSE 0 END AS rd_gap_wan,
       CASE WHEN list_contains(failed, 'sci_staff_share') THEN staff_gap ELSE 0 END AS sci_staff_gap,
       CASE WHEN list_contains(failed, 'domestic_rd_share') THEN round(CAST(dom_gap AS DOUBLE), 1) ELSE 0 END AS domestic_rd_gap_wan,
       CASE WHEN list_contains(failed, 'hitech_revenue_share') THEN round(CAST(hts_gap AS DOUBLE), 1) ELSE 0 END AS hitech_revenue_gap_wan,
       concat_ws('；',
           CASE WHEN list_contains(failed, 'registered_under_1_year') THEN printf('注册不满一年（成立于%s）', strftime(founded_on, '%Y-%m-%d')) END,
           CASE WHEN list_contains(failed, 'no_ip') THEN '无知识产权' END,
           CASE WHEN list_contains(failed, 'sci_staff_share') THEN printf('科技人员占比%.1f%%，需≥10%%，尚差%d人', coalesce(staff_share, 0) * 100, staff_gap) END,
           CASE WHEN list_contains(failed, 'rd_ratio') THEN printf('研发费用占比%.2f%%，需≥%d%%，近三年研发费用尚差%.1f万元', coalesce(rd3, 0) * 100, CAST(req * 100 AS INTEGER), rd_gap) END,
           CASE WHEN list_contains(failed, 'domestic_rd_share') THEN printf('境内研发费用占比%.1f%%，需≥60%%，尚差%.1f万元', coalesce(dom, 0) * 100, dom_gap) END,
           CASE WHEN list_contains(failed, 'hitech_revenue_share') THEN printf('高新技术产品收入占比%.1f%%，需≥60%%，尚差%.1f万元', coalesce(hts, 0) * 100, hts_gap) END
       ) AS lacks_zh,
       staff_pts AS sme_staff_points, rd_pts AS sme_rd_points, ip_pts AS sme_ip_points,
       staff_pts + rd_pts + ip_pts AS sme_score,
       staff <= 500 AND revenue_1y_wan <= 20000 AND assets_wan <= 20000 AS sme_size_ok,
       holds AS holds_certificate,
       holds OR (staff_pts + rd_pts + ip_pts >= 60 AND staff_pts > 0 AND staff <= 500 AND revenue_1y_wan <= 20000 AND assets_wan <= 20000) AS sme_eligible
FROM judged
ORDER BY region_code, eval_year, failed_count, rd_gap_wan, uscc

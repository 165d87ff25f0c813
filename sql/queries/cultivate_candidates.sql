-- The cultivation candidates of an evaluation year (?1) that hold no valid
-- certificate on the as-of date (?2), ranked: those meeting every condition
-- first, then by the number of conditions missed and the R&D gap.
SELECT c.region_code, r.name AS region_name,
       rank() OVER (PARTITION BY c.region_code ORDER BY c.failed_count, c.rd_gap_wan, c.sci_staff_gap, c.sme_score DESC) AS rank,
       c.name, c.uscc, c.hitech_eligible, c.failed_count, coalesce(c.lacks_zh, '') AS lacks_zh,
       c.rd_gap_wan, c.sci_staff_gap, c.domestic_rd_gap_wan, c.hitech_revenue_gap_wan,
       c.sci_staff_share, c.rd_ratio, c.rd_required, c.domestic_rd_share, c.hitech_revenue_share,
       c.sme_score, c.sme_eligible
FROM cultivation_candidates c
JOIN regions r ON r.code = c.region_code
WHERE c.eval_year = ?
  AND NOT EXISTS (SELECT 1 FROM hitech_certificates h WHERE h.uscc = c.uscc AND h.issued_on <= CAST(? AS DATE)
                  AND CAST(? AS DATE) < least(CAST(h.issued_on + INTERVAL 3 YEAR AS DATE), coalesce(h.revoked_on, DATE '9999-12-31')))
ORDER BY c.region_code, rank, c.uscc

-- Yearly high-tech enterprise flows of the focus city and its units (aggregates only).
SELECT f.region_code, f.region_name, f.level, f.year, f.valid_start, f.new_recognized, f.renewed, f.expired,
       f.revoked, f.returned_after_lapse, f.valid_end
FROM hitech_enterprise_flows f
JOIN regions r ON r.code = f.region_code
WHERE f.region_code = ? OR r.parent_code = ?
ORDER BY CASE WHEN f.region_code = ? THEN 0 ELSE 1 END, f.region_code, f.year

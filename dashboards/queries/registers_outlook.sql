-- The year-end outlook at the latest month end of the roster, city first, with the reconciliation.
WITH latest AS (SELECT max(as_of_period) AS p FROM hitech_outlook)
SELECT o.region_code, o.region_name, o.level, o.year, o.as_of_period, o.base_valid, o.valid_now, o.expiring,
       o.renewal_rate, o.expected_renewals, o.ready_candidates, o.recognition_rate, o.expected_new,
       o.expected_valid_end, o.expected_net, o.target_total, o.target_net, o.assumptions_zh,
       rc.reported_value, rc.difference, rc.note_zh
FROM hitech_outlook o
JOIN latest ON o.as_of_period = latest.p
JOIN regions r ON r.code = o.region_code
LEFT JOIN hitech_reconciliation rc ON rc.region_code = o.region_code AND rc.period = o.as_of_period
WHERE o.region_code = ? OR r.parent_code = ?
ORDER BY CASE WHEN o.region_code = ? THEN 0 ELSE 1 END, o.region_code

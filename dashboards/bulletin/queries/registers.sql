-- The city's high-tech enterprise flows (1-N月) and year-end outlook at the bulletin's month, from the rosters.
SELECT f.valid_start, f.new_recognized, f.renewed, f.expired, f.revoked, f.valid_end,
       o.expiring, o.expected_renewals, o.ready_candidates, o.expected_new, o.expected_valid_end, o.expected_net,
       o.target_total, o.target_net, o.assumptions_zh
FROM hitech_enterprise_flows_monthly f
JOIN hitech_outlook o ON o.region_code = f.region_code AND o.as_of_period = f.period
WHERE f.region_code = ? AND f.period = ?

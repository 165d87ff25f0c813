-- Enterprises whose validity (latest certificate + 3 years, not revoked)
-- ends in year ?1 or ?1 + 1, with no later certificate: they must be
-- recognised again. days_left counts from the as-of date ?2.
WITH latest AS (
    SELECT uscc, arg_max(name, issued_on) AS name, arg_max(region_code, issued_on) AS region_code,
           arg_max(cert_no, issued_on) AS cert_no, max(issued_on) AS issued_on,
           arg_max(revoked_on, issued_on) AS revoked_on
    FROM hitech_certificates GROUP BY uscc
)
SELECT l.region_code, r.name AS region_name, l.name, l.uscc, l.cert_no,
       strftime(l.issued_on, '%Y-%m-%d') AS issued_on,
       strftime(CAST(l.issued_on + INTERVAL 3 YEAR AS DATE), '%Y-%m-%d') AS expires_on,
       datediff('day', CAST(? AS DATE), CAST(l.issued_on + INTERVAL 3 YEAR AS DATE)) AS days_left
FROM latest l
JOIN regions r ON r.code = l.region_code
WHERE l.revoked_on IS NULL
  AND year(CAST(l.issued_on + INTERVAL 3 YEAR AS DATE)) BETWEEN ? AND ? + 1
ORDER BY l.region_code, l.issued_on, l.uscc

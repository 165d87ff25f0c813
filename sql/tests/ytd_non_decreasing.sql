-- severity: warn
-- description: 1-N月累计流量在年内不下降 / year-to-date flows do not fall within a year
-- A fall is a reporting error (or a revision of an earlier month not yet
-- loaded); it is reported, not fatal, so that one county's slip does not
-- stop the publication: the single-month value of that month is negative.
-- indicator_values holds the reported values of every non-ratio indicator.
-- Both sides of the self-join are the monthly non-ratio flows with a value
-- (a NULL never compares lower), not every row of indicator_values: national
-- warehouse, the query 3 times in a process, 3 processes each way at load
-- 5–10: CPU (user+sys) median 3.77 → 3.11 s.
-- The self-join is on small integers for the region and the indicator (rid,
-- iid) and carries no strings; the codes and periods are looked up again
-- only for the rows that fail (national warehouse, the query alone
-- 0.37–0.56 → 0.23–0.26 s, the same rows).
WITH rg AS (
    SELECT code, CAST(row_number() OVER () AS INTEGER) AS rid FROM regions
),
flows AS (
    SELECT code, CAST(row_number() OVER () AS INTEGER) AS iid FROM indicators
    WHERE flow AND frequency = 'monthly' AND numerator IS NULL
),
m AS (
    SELECT r.rid, i.iid, v.year, v.month, v.value
    FROM indicator_values v
    JOIN flows i ON i.code = v.indicator
    JOIN rg r ON r.code = v.region_code
    WHERE v.month IS NOT NULL AND v.value IS NOT NULL
),
falls AS (
    SELECT c.rid, c.iid, c.year, c.month, p.value AS prev_ytd, c.value AS ytd
    FROM m c
    JOIN m p ON p.rid = c.rid AND p.iid = c.iid AND p.year = c.year AND p.month = c.month - 1
    WHERE c.value < p.value
)
SELECT r.code AS region_code, i.code AS indicator, printf('%d-%02d', f.year, f.month - 1) AS prev_period, f.prev_ytd,
       printf('%d-%02d', f.year, f.month) AS period, f.ytd
FROM falls f
JOIN rg r USING (rid)
JOIN flows i USING (iid)
ORDER BY region_code, indicator, period

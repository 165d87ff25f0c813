-- materialized: table
-- description: 高新技术企业逐月有效状态（企业级，保密） / Each certified enterprise's validity and events at every month end (enterprise level, confidential)
-- column uscc: 统一社会信用代码 / unified social credit code
-- column region_code: 所在县区（按最近一张证书） / county-level unit, from the latest certificate
-- column year: 年份 / year
-- column month: 月份（最近两年逐月，此前仅12月） / month: every month of the last two years, December before
-- column valid_start: 上年末（12月31日）有效 / held a valid certificate on 31 Dec of the previous year
-- column valid_end: 月末有效 / holds a valid certificate on the last day of the month
-- column renewed: 年初至月末获重新认定（发证前一日持有效证书） / a certificate issued this year to the enterprise while it held a valid one the day before
-- column fresh: 年初至月末获认定且发证前一日无有效证书 / a certificate issued this year while it held none the day before
-- column revoked: 年初至月末有证书被撤销（在有效期内） / a certificate revoked this year within its validity
-- column valid_until: 截至月末已知的有效期截止日（不含当日） / end of validity known at the month end (exclusive): latest issue + 3 years, or the revocation date if revoked by then
--
-- A certificate is valid on day d iff issued_on ≤ d < issued_on + 3 years
-- and (no revocation or d < revoked_on). An enterprise is counted where its
-- latest certificate places it. Years start three years after the earliest
-- certificate (so that the stock at the start is complete) and end with the
-- latest date in the roster.
--
-- The month rows are grouped by a small integer per enterprise (eid) and the
-- enterprise's code and county joined back at the end: grouping ≈ 4 million
-- rows by the 18-character code held the national build's peak (1.25–1.32
-- GB for this query alone against 0.59–0.65 GB, docs/PERFORMANCE.md).
WITH c AS (
    SELECT uscc, region_code, issued_on, revoked_on,
           CAST(issued_on + INTERVAL 3 YEAR AS DATE) AS expires_on,
           least(CAST(issued_on + INTERVAL 3 YEAR AS DATE), coalesce(revoked_on, DATE '9999-12-31')) AS ends_on
    FROM hitech_certificates
),
ent AS (
    -- each enterprise once: its county from the latest certificate, its eid
    SELECT uscc, arg_max(region_code, issued_on) AS region_code, CAST(row_number() OVER () AS INTEGER) AS eid
    FROM c GROUP BY uscc
),
held AS (
    -- For each certificate: did the enterprise hold another valid one the day before it was issued?
    -- (an earlier certificate of the same enterprise ending after that day; one issue date per enterprise)
    SELECT e.eid, c.issued_on, c.revoked_on, c.expires_on, c.ends_on,
           coalesce(max(c.ends_on) OVER (PARTITION BY c.uscc ORDER BY c.issued_on ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                    >= c.issued_on, false) AS held_before
    FROM c JOIN ent e USING (uscc)
),
bounds AS (
    SELECT min(year(issued_on)) + 3 AS y0,
           greatest(max(year(issued_on)), coalesce(max(year(revoked_on)), 0)) AS y1
    FROM c
),
months AS (
    SELECT CAST(y.y AS INTEGER) AS year, CAST(m.m AS INTEGER) AS month,
           make_date(CAST(y.y AS INTEGER) - 1, 12, 31) AS s,
           make_date(CAST(y.y AS INTEGER), 1, 1) AS jan1,
           last_day(make_date(CAST(y.y AS INTEGER), CAST(m.m AS INTEGER), 1)) AS t
    FROM bounds, range(bounds.y0, bounds.y1 + 1) y(y), range(1, 13) m(m)
    -- every month end of the last two years (the bulletin's year-to-date), the year ends before
    WHERE bounds.y0 <= bounds.y1 AND (m.m = 12 OR y.y >= bounds.y1 - 1)
),
st AS (
    SELECT h.eid, mo.year, mo.month,
        bool_or(h.issued_on <= mo.s AND mo.s < h.ends_on) AS valid_start,
        bool_or(h.issued_on <= mo.t AND mo.t < h.ends_on) AS valid_end,
        coalesce(bool_or(h.issued_on BETWEEN mo.jan1 AND mo.t AND h.held_before), false) AS renewed,
        coalesce(bool_or(h.issued_on BETWEEN mo.jan1 AND mo.t AND NOT h.held_before), false) AS fresh,
        coalesce(bool_or(h.revoked_on BETWEEN mo.jan1 AND mo.t AND h.revoked_on < h.expires_on), false) AS revoked,
        max(CASE WHEN h.issued_on <= mo.t THEN
                CASE WHEN h.revoked_on <= mo.t THEN least(h.revoked_on, h.expires_on) ELSE h.expires_on END
            END) AS valid_until
    FROM held h
    -- a certificate matters from the year it is issued to the year it ends (s < ends_on ⟺ year ≤ year(ends_on))
    JOIN months mo ON mo.year BETWEEN year(h.issued_on) AND year(h.ends_on) AND h.issued_on <= mo.t AND h.ends_on > mo.s
    GROUP BY h.eid, mo.year, mo.month
)
SELECT e.uscc, e.region_code, st.year, st.month, st.valid_start, st.valid_end, st.renewed, st.fresh, st.revoked, st.valid_until
FROM st JOIN ent e USING (eid)

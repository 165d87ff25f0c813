-- The stored revisions of one month, oldest first.
SELECT month, revision, issue_no, title, html, markdown, pdf, CAST(vintage AS VARCHAR), reason, published_at, run_id
FROM bulletins
WHERE month = $1
ORDER BY revision

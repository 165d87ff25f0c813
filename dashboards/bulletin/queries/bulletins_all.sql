-- Every stored bulletin, by month and revision.
SELECT month, revision, issue_no, title, html, markdown, pdf, CAST(vintage AS VARCHAR), reason, published_at, run_id
FROM bulletins
ORDER BY month, revision

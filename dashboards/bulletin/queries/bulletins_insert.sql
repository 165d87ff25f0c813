-- The only statement that writes the bulletins table: insert, never update.
INSERT INTO bulletins (month, revision, issue_no, title, html, markdown, pdf, vintage, reason, published_at, run_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)

-- One statement of a maintenance session, recorded as it ran.
INSERT INTO maintenance_statements (run_id, seq, statement, rows, error, executed_at)
VALUES ($1, $2, $3, $4, $5, $6);

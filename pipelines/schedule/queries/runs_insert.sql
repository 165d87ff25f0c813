-- A run row written by the scheduler itself (skipped firing, or an attempt
-- that failed before it could record its own row).
INSERT INTO runs (kind, job, trigger, status, scheduled_at, started_at, finished_at, attempts, error, pid, host)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)

-- The latest runs, newest first; $1 job and $2 status filter when not NULL.
SELECT id, job, kind, trigger, status, scheduled_at, started_at, finished_at, seconds, attempt, error,
       CAST(details AS VARCHAR) AS details
FROM run_history
WHERE ($1 IS NULL OR job = $1)
  AND ($2 IS NULL OR status = $2)
ORDER BY id DESC
LIMIT $3

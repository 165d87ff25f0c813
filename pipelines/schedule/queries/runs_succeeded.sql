-- Whether a job already has a succeeded run for a schedule slot.
SELECT count(*) > 0
FROM runs
WHERE job = $1 AND scheduled_at = $2 AND status IN ('succeeded', 'partial')

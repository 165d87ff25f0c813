-- A run that ended in failure but could not record it (the disk was full):
-- its writer left the error in the journal, and the next writer records it.
UPDATE runs
SET status = 'failed',
    error = $2 || ' (recorded by the next writer: the run could not record its own failure)'
WHERE id = $1
  AND status IN ('succeeded', 'running');

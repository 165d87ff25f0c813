-- Runs recorded as succeeded whose changes never reached a serving copy
-- (newer than the copy's run $1): the process died between recording the
-- outcome and publishing. A run succeeds only once its results are published.
UPDATE runs
SET status = 'aborted',
    error = 'the process ended after the run''s work was committed and before its serving copy was published; '
         || 'the next writer published it'
WHERE id > $1
  AND status = 'succeeded'
  AND coalesce(TRY_CAST(json_extract_string(details, '$.changed') AS BOOLEAN), false);

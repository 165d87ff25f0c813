-- The newest run after the serving copy's run ($1) that changed, or may have
-- changed, what readers see: a run records "changed" in its details when it
-- finishes; a run that never finished (aborted by the next writer) may have
-- committed anything before it died, so it counts as a change.
SELECT coalesce(max(id), 0)
FROM runs
WHERE id > $1
  AND coalesce(TRY_CAST(json_extract_string(details, '$.changed') AS BOOLEAN), status = 'aborted');

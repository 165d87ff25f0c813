-- The rosters a file can be recognised as before it is read: the latest
-- load of each kind, when it was read without a mapping (the options a run
-- uses). Hash, kind, id and time of that load, newest first.
SELECT l.file_hash, l.kind, l.id, l.loaded_at, l.rows_read
FROM register_loads l
WHERE l.mapping IS NULL
  AND l.id = (SELECT max(id) FROM register_loads WHERE kind = l.kind)
ORDER BY l.id DESC

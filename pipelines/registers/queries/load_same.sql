-- A roster file recognised before it is read: the latest load of its kind
-- has the same bytes and was read without a mapping (the options a run
-- uses). Kind, id and time of that load.
SELECT l.kind, l.id, l.loaded_at, l.rows_read
FROM register_loads l
WHERE l.file_hash = ? AND l.mapping IS NULL
  AND l.id = (SELECT max(id) FROM register_loads WHERE kind = l.kind)
ORDER BY l.id DESC
LIMIT 1

-- The latest load with this identity (content hash, plus the effective
-- options when any were given), if any. Loads recorded before options were
-- part of the identity have no load_options row: their identity is the hash.
SELECT l.id, l.loaded_at
FROM loads l
LEFT JOIN load_options o ON o.load_id = l.id
WHERE coalesce(o.identity, l.file_hash) = ?
ORDER BY l.id DESC
LIMIT 1

-- The latest load of a kind: a file with the same content, read with the
-- same mapping, is not loaded again.
SELECT id, file_hash, coalesce(mapping, ''), loaded_at FROM register_loads WHERE kind = ? ORDER BY id DESC LIMIT 1

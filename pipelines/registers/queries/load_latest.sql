-- The latest load of a kind: a file with the same content is not loaded again.
SELECT id, file_hash, loaded_at FROM register_loads WHERE kind = ? ORDER BY id DESC LIMIT 1

-- The latest load of a file with these exact bytes, if any.
SELECT id, loaded_at FROM loads WHERE file_hash = ? ORDER BY id DESC LIMIT 1

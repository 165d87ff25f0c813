INSERT INTO register_loads (id, run_id, kind, file_name, file_hash, format, mapping, rows_read, warnings, loaded_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

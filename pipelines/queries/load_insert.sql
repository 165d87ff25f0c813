INSERT INTO loads (id, run_id, file_name, file_hash, format, rows_read, facts_new, facts_revised, loaded_at,
                   encoding, mapping, warnings)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

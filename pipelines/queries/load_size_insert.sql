-- The loaded file's size in bytes. Parameters: load id, size.
INSERT INTO load_sizes (load_id, file_size) VALUES (?, ?)

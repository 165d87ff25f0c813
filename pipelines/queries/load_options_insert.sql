-- What makes this load "the same" as a later one. Parameters: load id,
-- identity, options text (NULL for none).
INSERT INTO load_options (load_id, identity, options) VALUES (?, ?, ?)

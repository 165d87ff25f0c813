-- Whether some load had a file of this size (bytes) with these effective
-- options (NULL for none): then a file is worth hashing before it is parsed.
SELECT EXISTS (
    SELECT 1
    FROM load_sizes s
    JOIN load_options o ON o.load_id = s.load_id
    WHERE s.file_size = ? AND coalesce(o.options, '') = ?
)

-- Every table and view of the warehouse with its columns: which marts exist.
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_catalog = current_database() AND table_schema = current_schema()
ORDER BY table_name, ordinal_position

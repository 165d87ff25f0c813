-- Every column of the warehouse's tables and views, with its comment.
SELECT table_name, column_name, data_type, comment
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main'
ORDER BY table_name, column_index

-- \d NAME: the columns of one table or view, with their comments.
SELECT column_name AS "column", data_type AS type, CASE WHEN is_nullable THEN '' ELSE 'NOT NULL' END AS "null", comment
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1
ORDER BY column_index

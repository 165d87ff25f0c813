-- The comment of one table or view, and which of the two it is.
SELECT kind, comment
FROM (
    SELECT 'table' AS kind, comment FROM duckdb_tables()
    WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1
    UNION ALL
    SELECT 'view', comment FROM duckdb_views()
    WHERE database_name = current_database() AND schema_name = 'main' AND view_name = $1
)

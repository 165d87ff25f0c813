-- \d: the tables and views of the warehouse with their comments.
SELECT name, kind, comment
FROM (
    SELECT table_name AS name, 'table' AS kind, comment
    FROM duckdb_tables()
    WHERE NOT internal AND database_name = current_database() AND schema_name = 'main'
    UNION ALL
    SELECT view_name, 'view', comment
    FROM duckdb_views()
    WHERE NOT internal AND database_name = current_database() AND schema_name = 'main'
)
ORDER BY name

-- Every table and view a model or data test may read: the warehouse's own
-- (schema main) and DuckDB's catalog views.
SELECT schema_name, table_name, 'table' FROM duckdb_tables() WHERE NOT temporary
UNION ALL
SELECT schema_name, view_name, 'view' FROM duckdb_views() WHERE NOT temporary

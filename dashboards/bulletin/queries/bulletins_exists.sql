-- Whether the warehouse has the bulletins table (migration 0060).
SELECT count(*) > 0 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'bulletins'

-- A table shaped like facts for DuckDB's own load of the same CSV.
CREATE OR REPLACE TABLE bench_facts AS FROM facts LIMIT 0

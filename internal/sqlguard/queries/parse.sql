-- DuckDB's own parser, as JSON: only SELECT statements serialize; anything
-- else answers {"error": true, "error_type": "not implemented", …}.
SELECT CAST(json_serialize_sql(CAST($1 AS VARCHAR)) AS VARCHAR)

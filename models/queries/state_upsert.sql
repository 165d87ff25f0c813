-- Record a model's build: $1 model, $2 materialized, $3 file hash, $4 state
-- hash, $5 rows (NULL for a view), $6 built at, $7 run id, $8 milliseconds.
INSERT OR REPLACE INTO model_state (model, materialized, sql_hash, state_hash, rows, built_at, run_id, duration_ms)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)

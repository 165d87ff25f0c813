-- What each model was last built from.
SELECT model, materialized, state_hash, rows FROM model_state

-- Keep the warnings of a loaded file with it. Parameter: $1 load id.
INSERT INTO load_warnings (load_id, key, sheet, row, column_name, value, message, expected, hint)
SELECT $1, key, sheet, row, column_name, value, message, expected, hint FROM temp.stage_warnings

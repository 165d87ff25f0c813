-- Every column of every table and view of the main schema: CheckMarts
-- compares them with the marts and columns the bulletin reads.
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_schema = 'main'

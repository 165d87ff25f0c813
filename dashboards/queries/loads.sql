-- Every file loaded, in order: the vintages.
SELECT id, file_name, format, rows_read, facts_new, facts_revised, loaded_at
FROM loads
ORDER BY id

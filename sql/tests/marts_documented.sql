-- severity: error
-- description: 每个模型及其每一列都有中英文注释 / every model and each of its columns carries a COMMENT
SELECT m.model, NULL AS column_name, 'no description' AS problem
FROM model_state m
LEFT JOIN (SELECT table_name AS name, comment FROM duckdb_tables() WHERE schema_name = 'main'
           UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'main') o ON o.name = m.model
WHERE o.comment IS NULL OR o.comment = ''
UNION ALL
SELECT m.model, c.column_name, 'no column comment'
FROM model_state m
JOIN duckdb_columns() c ON c.schema_name = 'main' AND c.table_name = m.model
WHERE c.comment IS NULL OR c.comment = ''
ORDER BY 1, 2

-- The years of a relation, for Hive partitioning; {{year}} is the year
-- column or an expression on period, {{relation}} a quoted identifier.
SELECT DISTINCT CAST({{year}} AS INTEGER) AS year FROM {{relation}} ORDER BY year NULLS LAST

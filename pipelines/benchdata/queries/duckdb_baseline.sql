-- DuckDB's own bulk path, the yardstick: read the generated CSV and insert
-- it into a facts-shaped table, with the constant lineage columns filled and
-- the missing marker read as NULL. No validation beyond types. Parameter:
-- the CSV path.
INSERT INTO bench_facts (region_code, period, indicator, value, missing_reason, status, vintage, source,
                         source_sheet, source_row, load_id, loaded_at, note)
SELECT region_code, period, indicator, value, CASE WHEN value IS NULL THEN '未报送' END, 'provisional', 1, 'bench.csv',
       NULL, NULL, 1, now(), NULL
FROM read_csv($1, header = true, nullstr = '—',
              columns = {'region_code': 'VARCHAR', 'period': 'VARCHAR', 'indicator': 'VARCHAR',
                         'value': 'DOUBLE', 'unit': 'VARCHAR', 'status': 'VARCHAR'})

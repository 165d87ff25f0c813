-- Write the staged facts that differ from the latest vintage as vintage $1.
-- Parameters: $1 load id (= vintage), $2 source file, $3 load time.
WITH latest AS (
    SELECT f.region_code, f.period, f.indicator, f.value, f.status
    FROM facts f SEMI JOIN temp.stage_facts s USING (region_code, period, indicator)
    QUALIFY row_number() OVER (PARTITION BY f.region_code, f.period, f.indicator ORDER BY f.vintage DESC) = 1
)
INSERT INTO facts (region_code, period, indicator, value, missing_reason, status, vintage, source,
                   source_sheet, source_row, load_id, loaded_at, note)
SELECT s.region_code, s.period, s.indicator, s.value, s.missing_reason, s.status, $1, $2,
       s.source_sheet, s.source_row, $1, $3, s.note
FROM temp.stage_facts s
LEFT JOIN latest l USING (region_code, period, indicator)
WHERE l.region_code IS NULL OR l.value IS DISTINCT FROM s.value OR l.status IS DISTINCT FROM s.status

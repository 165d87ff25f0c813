-- Staged provisional (初步) facts whose latest vintage is final (核实): a
-- late first release must not replace a verified figure silently.
WITH latest AS (
    SELECT f.region_code, f.period, f.indicator, f.value, f.status
    FROM facts f SEMI JOIN temp.stage_facts s USING (region_code, period, indicator)
    QUALIFY row_number() OVER (PARTITION BY f.region_code, f.period, f.indicator ORDER BY f.vintage DESC) = 1
)
SELECT s.region_code, s.period, s.indicator, l.value, s.value, coalesce(s.source_sheet, ''), coalesce(s.source_row, 0)
FROM temp.stage_facts s
JOIN latest l USING (region_code, period, indicator)
WHERE l.status = 'final' AND s.status = 'provisional'
ORDER BY s.source_row

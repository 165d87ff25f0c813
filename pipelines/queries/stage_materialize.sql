-- The slow path, when the warehouse already has facts for the file's
-- regions: materialise the batch once for stage_facts_diff and
-- stage_facts_insert. Parameter: $1 innowatch_stage id.
CREATE OR REPLACE TEMP TABLE stage_facts AS
SELECT r.s AS region_code, x.period, n.s AS indicator,
       CASE WHEN x.missing_reason IS NULL THEN i.value END AS value,
       x.missing_reason, x.status, x.source_sheet, i.source_row, x.note
FROM innowatch_stage($1) i
JOIN temp.stage_extra x ON x.id = i.extra
JOIN temp.stage_str r ON r.id = i.region
JOIN temp.stage_str n ON n.id = i.indicator

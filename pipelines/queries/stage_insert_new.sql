-- The fast path: every fact is new (no fact of the file's regions exists),
-- so the batch goes from innowatch_stage into facts in one parallel scan,
-- its period and rare attributes joined from stage_extra (a few hundred rows: a
-- perfect-hash look-up), its region and indicator from stage_str (their dict
-- ids: the strings do not cross cgo once per fact). Parameters: $1 innowatch_stage id, $2 load id
-- (= vintage), $3 source file, $4 load time.
INSERT INTO facts (region_code, period, indicator, value, missing_reason, status, vintage, source,
                   source_sheet, source_row, load_id, loaded_at, note)
SELECT r.s AS region_code, x.period, n.s AS indicator, CASE WHEN x.missing_reason IS NULL THEN i.value END,
       x.missing_reason, x.status, $2, $3, x.source_sheet, i.source_row, $2, $4, x.note
FROM innowatch_stage($1) i
JOIN temp.stage_extra x ON x.id = i.extra
JOIN temp.stage_str r ON r.id = i.region
JOIN temp.stage_str n ON n.id = i.indicator

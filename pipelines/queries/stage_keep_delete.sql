-- Drop from the stage the facts whose final vintage is kept (stage_keep).
DELETE FROM temp.stage_facts s
USING temp.stage_keep k
WHERE s.region_code = k.region_code AND s.period = k.period AND s.indicator = k.indicator

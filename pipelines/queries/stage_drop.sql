DROP TABLE IF EXISTS temp.stage_facts;
DROP TABLE IF EXISTS temp.stage_extra;
DROP TABLE IF EXISTS temp.stage_str;
DROP TABLE IF EXISTS temp.stage_warnings;
DROP TABLE IF EXISTS temp.stage_keep;

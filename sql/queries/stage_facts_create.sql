-- Staging table for one file's facts; the Appender fills it, then one
-- transaction moves what changed into facts.
CREATE OR REPLACE TEMP TABLE stage_facts (
    region_code    VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,
    indicator      VARCHAR NOT NULL,
    value          DOUBLE,
    missing_reason VARCHAR,
    status         VARCHAR NOT NULL,
    source_sheet   VARCHAR,
    source_row     INTEGER,
    note           VARCHAR
)

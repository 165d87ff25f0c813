-- Staging for one file: the strings its facts use as regions and
-- indicators, by dict id, and the distinct combinations of the facts' period
-- and rare attributes (innowatch_stage gives each fact's ids and index into
-- them), and the file's warnings, kept with it in load_warnings.
CREATE OR REPLACE TEMP TABLE stage_str (
    id UINTEGER NOT NULL,
    s  VARCHAR NOT NULL
);
CREATE OR REPLACE TEMP TABLE stage_extra (
    id             UINTEGER NOT NULL,
    period         VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,
    missing_reason VARCHAR,
    source_sheet   VARCHAR,
    note           VARCHAR
);
CREATE OR REPLACE TEMP TABLE stage_warnings (
    key         VARCHAR NOT NULL,
    sheet       VARCHAR,
    row         INTEGER,
    column_name VARCHAR,
    value       VARCHAR,
    message     VARCHAR NOT NULL,
    expected    VARCHAR,
    hint        VARCHAR
);
CREATE OR REPLACE TEMP TABLE stage_keep (
    region_code VARCHAR NOT NULL,
    period      VARCHAR NOT NULL,
    indicator   VARCHAR NOT NULL
);

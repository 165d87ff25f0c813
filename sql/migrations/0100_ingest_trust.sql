-- Trustworthy ingest (issue 13): what makes a load "the same", and the
-- plausibility problems a statistician accepted, with the reason. New tables
-- keyed by the load id (no ALTER TABLE … ADD COLUMN: issue 15).

CREATE TABLE load_options (
    load_id  BIGINT PRIMARY KEY,
    identity VARCHAR NOT NULL,
    options  VARCHAR
);
COMMENT ON TABLE load_options IS '入库文件的有效选项（--period、--mapping、--encoding）及其身份（内容哈希+选项） / effective options of a load and its identity';
COMMENT ON COLUMN load_options.identity IS '同一身份的文件不重复导入；无选项时等于内容哈希 / loads with the same identity are not repeated';

CREATE TABLE load_accepts (
    load_id     BIGINT NOT NULL,
    key         VARCHAR NOT NULL,
    region_code VARCHAR,
    indicator   VARCHAR,
    period      VARCHAR,
    sheet       VARCHAR,
    row         INTEGER,
    value       VARCHAR,
    message     VARCHAR NOT NULL,
    expected    VARCHAR,
    reason      VARCHAR NOT NULL,
    rule        VARCHAR NOT NULL
);
COMMENT ON TABLE load_accepts IS '统计人员用 --accept 确认的合理性问题及理由 / plausibility problems accepted with --accept, and why';

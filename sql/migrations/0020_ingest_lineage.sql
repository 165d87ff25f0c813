-- Ingestion lineage: how each file was read, the warnings it loaded with,
-- and one view that answers "where does this number come from".

ALTER TABLE loads ADD COLUMN encoding VARCHAR;
ALTER TABLE loads ADD COLUMN mapping VARCHAR;
ALTER TABLE loads ADD COLUMN warnings INTEGER DEFAULT 0;
COMMENT ON COLUMN loads.encoding IS '文本编码（utf-8、gb18030…；二进制格式为空） / text encoding found or forced';
COMMENT ON COLUMN loads.mapping IS '读取宽表所用的模板映射 / template mapping a wide sheet was read with';
COMMENT ON COLUMN loads.warnings IS '警告数（本期累计下降、合计与分项不符…） / warnings found in the file';

CREATE TABLE load_warnings (
    load_id     BIGINT NOT NULL,
    key         VARCHAR NOT NULL,
    sheet       VARCHAR,
    row         INTEGER,
    column_name VARCHAR,
    value       VARCHAR,
    message     VARCHAR NOT NULL,
    expected    VARCHAR,
    hint        VARCHAR
);
COMMENT ON TABLE load_warnings IS '入库文件的警告（文件照常入库） / warnings of loaded files (the file loaded anyway)';

CREATE VIEW fact_lineage AS
SELECT f.region_code, f.period, f.indicator, f.value, f.missing_reason, f.status, f.vintage,
       f.source AS file_name, l.file_hash, l.format, l.encoding, l.mapping,
       f.source_sheet AS sheet, f.source_row AS row, l.run_id, f.load_id, f.loaded_at
FROM facts f
JOIN loads l ON l.id = f.load_id;
COMMENT ON VIEW fact_lineage IS '每个事实的来源：文件、内容哈希、工作表、行、导入运行与时间 / where every fact came from';

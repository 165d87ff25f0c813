-- Core schema: reference data (regions, the indicator catalog), the long fact
-- table with vintages, targets, and the run log. Forward-only: a later change
-- is a new numbered file, never an edit of this one.

CREATE TABLE regions (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    short_name  VARCHAR,
    level       VARCHAR NOT NULL CHECK (level IN ('country', 'province', 'city', 'county', 'zone')),
    parent_code VARCHAR,
    valid_from  INTEGER,
    valid_to    INTEGER,
    sort_order  INTEGER NOT NULL DEFAULT 0
);
COMMENT ON TABLE regions IS '行政区划与功能区（GB/T 2260 代码） / Reporting units by GB/T 2260 code';
COMMENT ON COLUMN regions.code IS '区划代码 / GB/T 2260 code';
COMMENT ON COLUMN regions.name IS '名称 / full name';
COMMENT ON COLUMN regions.short_name IS '简称 / short name';
COMMENT ON COLUMN regions.level IS '层级 province/city/county/zone / level';
COMMENT ON COLUMN regions.parent_code IS '上级区划代码 / parent region code';
COMMENT ON COLUMN regions.valid_from IS '代码启用年份（空=一直） / first year in use';
COMMENT ON COLUMN regions.valid_to IS '代码停用年份（空=仍在用） / last year in use';

CREATE TABLE region_aliases (
    alias       VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL REFERENCES regions (code),
    PRIMARY KEY (alias, region_code)
);
COMMENT ON TABLE region_aliases IS '区划别名（名称匹配只经此表） / Region name aliases: names match only through this table';

-- How many units of a level a region contains in a year: the divisor of the
-- per-unit provincial average (province total ÷ 136 county-level units).
CREATE TABLE unit_counts (
    region_code VARCHAR NOT NULL REFERENCES regions (code),
    level       VARCHAR NOT NULL CHECK (level IN ('city', 'county')),
    year        INTEGER NOT NULL,
    n           INTEGER NOT NULL CHECK (n > 0),
    source      VARCHAR,
    PRIMARY KEY (region_code, level, year)
);
COMMENT ON TABLE unit_counts IS '下辖单位数（均值比较的分母） / Units of a level inside a region, per year: divisor of per-unit averages';

-- The focus: whose counties are compared with which province.
CREATE TABLE focus (
    city_code     VARCHAR NOT NULL REFERENCES regions (code),
    province_code VARCHAR NOT NULL REFERENCES regions (code)
);
COMMENT ON TABLE focus IS '关注对象：本市及所属省 / The focus city and its province';

CREATE TABLE indicators (
    code             VARCHAR PRIMARY KEY,
    name_zh          VARCHAR NOT NULL,
    name_en          VARCHAR NOT NULL,
    unit             VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL CHECK (kind IN ('amount', 'count', 'ratio')),
    flow             BOOLEAN NOT NULL,
    frequency        VARCHAR NOT NULL CHECK (frequency IN ('annual', 'monthly')),
    aggregation      VARCHAR NOT NULL CHECK (aggregation IN ('sum', 'ratio_of_sums')),
    better           VARCHAR NOT NULL CHECK (better IN ('higher', 'lower')),
    valid_min        DOUBLE,
    valid_max        DOUBLE,
    comparison_basis VARCHAR NOT NULL CHECK (comparison_basis IN ('ratio', 'per_unit')),
    numerator        VARCHAR,
    denominator      VARCHAR,
    scale            DOUBLE,
    decimals         INTEGER NOT NULL DEFAULT 2,
    headline         BOOLEAN NOT NULL DEFAULT false,
    sort_order       INTEGER NOT NULL,
    definition_zh    VARCHAR,
    CHECK ((numerator IS NULL) = (denominator IS NULL))
);
COMMENT ON TABLE indicators IS '指标目录 / Indicator catalog';
COMMENT ON COLUMN indicators.unit IS '目录单位（入库值均为此单位） / catalog unit of every stored value';
COMMENT ON COLUMN indicators.kind IS 'amount 金额/量, count 计数, ratio 比率（变化以百分点计） / kind';
COMMENT ON COLUMN indicators.flow IS '是否为1-N月累计的流量 / flow reported year-to-date';
COMMENT ON COLUMN indicators.aggregation IS '汇总方式：sum 相加, ratio_of_sums 由分子分母重算 / how it aggregates';
COMMENT ON COLUMN indicators.better IS '越高越好 higher / 越低越好 lower';
COMMENT ON COLUMN indicators.comparison_basis IS '与全省比较的口径：ratio 直接比较比率, per_unit 全省单位平均 / basis of comparison with the province';
COMMENT ON COLUMN indicators.numerator IS '派生比率的分子指标 / numerator of a derived ratio';
COMMENT ON COLUMN indicators.denominator IS '派生比率的分母指标 / denominator of a derived ratio';
COMMENT ON COLUMN indicators.scale IS '比率系数（百分比为100） / factor applied to numerator/denominator';
COMMENT ON COLUMN indicators.decimals IS '显示小数位 / decimals shown';

CREATE TABLE indicator_units (
    indicator VARCHAR NOT NULL REFERENCES indicators (code),
    unit      VARCHAR NOT NULL,
    factor    DOUBLE NOT NULL CHECK (factor > 0),
    PRIMARY KEY (indicator, unit)
);
COMMENT ON TABLE indicator_units IS '可接受的输入单位及换算系数（目录单位值 = 输入值 × factor） / accepted input units';

CREATE TABLE indicator_aliases (
    alias     VARCHAR PRIMARY KEY,
    indicator VARCHAR NOT NULL REFERENCES indicators (code)
);
COMMENT ON TABLE indicator_aliases IS '指标名称别名（表头匹配） / indicator name aliases used to match headers';

CREATE SEQUENCE runs_id_seq START 1;
CREATE TABLE runs (
    id           BIGINT PRIMARY KEY DEFAULT nextval('runs_id_seq'),
    kind         VARCHAR NOT NULL,
    job          VARCHAR,
    trigger      VARCHAR NOT NULL DEFAULT 'manual',
    status       VARCHAR NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'aborted', 'skipped')),
    scheduled_at TIMESTAMPTZ,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    attempts     INTEGER NOT NULL DEFAULT 1,
    error        VARCHAR,
    details      JSON,
    pid          INTEGER,
    host         VARCHAR
);
COMMENT ON TABLE runs IS '运行记录（每次导入、构建、渲染、发布） / every run: ingest, build, render, bulletin, job';

CREATE SEQUENCE loads_id_seq START 1;
CREATE TABLE loads (
    id        BIGINT PRIMARY KEY DEFAULT nextval('loads_id_seq'),
    run_id    BIGINT NOT NULL,
    file_name VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    format    VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    facts_new BIGINT NOT NULL,
    facts_revised BIGINT NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE loads IS '已入库文件（内容哈希保证幂等） / files loaded, with content hash for idempotence';

-- The long fact table. A key (region_code, period, indicator) may have many
-- vintages; the latest one is what models read (facts_latest). Values are in
-- the catalog unit; NULL means not reported, never zero.
CREATE TABLE facts (
    region_code    VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,
    indicator      VARCHAR NOT NULL,
    value          DOUBLE,
    missing_reason VARCHAR,
    status         VARCHAR NOT NULL CHECK (status IN ('provisional', 'final')),
    vintage        BIGINT NOT NULL,
    source         VARCHAR NOT NULL,
    source_sheet   VARCHAR,
    source_row     INTEGER,
    load_id        BIGINT NOT NULL,
    loaded_at      TIMESTAMPTZ NOT NULL,
    note           VARCHAR
);
COMMENT ON TABLE facts IS '事实表（长表，保留所有版本） / long fact table keeping every vintage';
COMMENT ON COLUMN facts.region_code IS '区划代码 / region code';
COMMENT ON COLUMN facts.period IS '期别 YYYY 或 YYYY-MM（流量为1-N月累计） / period; monthly flows are year-to-date';
COMMENT ON COLUMN facts.indicator IS '指标代码 / indicator code';
COMMENT ON COLUMN facts.value IS '数值（目录单位；空=未报送） / value in catalog unit; NULL = not reported';
COMMENT ON COLUMN facts.missing_reason IS '缺失原因 / why the value is missing';
COMMENT ON COLUMN facts.status IS '初步 provisional / 核实 final';
COMMENT ON COLUMN facts.vintage IS '版本（即入库批次号，越大越新） / vintage: the load id, later is larger';
COMMENT ON COLUMN facts.source IS '来源文件 / source file';
COMMENT ON COLUMN facts.source_row IS '来源行号 / row in the source file';

CREATE TABLE targets (
    region_code     VARCHAR NOT NULL REFERENCES regions (code),
    year            INTEGER NOT NULL,
    indicator       VARCHAR NOT NULL REFERENCES indicators (code),
    target_kind     VARCHAR NOT NULL CHECK (target_kind IN
                        ('total', 'net_increase', 'new_count', 'point_increase', 'above_province', 'ytd_count', 'count_this_year')),
    target_value    DOUBLE,
    target_max      DOUBLE,
    baseline_period VARCHAR,
    description_zh  VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    PRIMARY KEY (region_code, year, indicator, target_kind)
);
COMMENT ON TABLE targets IS '年度目标（数据，不写在代码里） / yearly policy targets, as data';
COMMENT ON COLUMN targets.target_kind IS 'total 总量, net_increase 净增, new_count 新增, point_increase 提高百分点, above_province 高于全省, ytd_count 年内累计, count_this_year 年内数量';
COMMENT ON COLUMN targets.baseline_period IS '基期（如 2019-12） / baseline period';

-- Enterprise and platform registers (rosters) kept by the bureau: the
-- certificates of its high-tech enterprises, the tech-SME register, the
-- cultivation pool (培育库) and the innovation platforms. Enterprise-level
-- rows are confidential: the leaders' site shows aggregates only
-- (docs/REGISTERS.md). A roster load replaces the whole roster of its kind,
-- in one transaction with its register_loads row.

CREATE SEQUENCE register_loads_id_seq START 1;
CREATE TABLE register_loads (
    id        BIGINT PRIMARY KEY DEFAULT nextval('register_loads_id_seq'),
    run_id    BIGINT NOT NULL,
    kind      VARCHAR NOT NULL CHECK (kind IN ('certificates', 'tech_smes', 'candidates', 'platforms')),
    file_name VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    format    VARCHAR NOT NULL,
    mapping   VARCHAR,
    rows_read BIGINT NOT NULL,
    warnings  INTEGER NOT NULL DEFAULT 0,
    loaded_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE register_loads IS '名单导入记录（每次导入替换该类名单） / roster loads; each replaces the roster of its kind';

CREATE TABLE hitech_certificates (
    name        VARCHAR NOT NULL,
    uscc        VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    cert_no     VARCHAR NOT NULL,
    issued_on   DATE NOT NULL,
    revoked_on  DATE,
    tech_field  VARCHAR,
    source_sheet VARCHAR,
    source_row  INTEGER NOT NULL,
    load_id     BIGINT NOT NULL
);
COMMENT ON TABLE hitech_certificates IS '高新技术企业证书名单（保密：企业级） / high-tech enterprise certificates, one row per certificate (confidential)';
COMMENT ON COLUMN hitech_certificates.issued_on IS '发证日期；有效期三年：发证日 ≤ d < 发证日+3年 / issue date; valid for three years';
COMMENT ON COLUMN hitech_certificates.revoked_on IS '撤销日期（空=未撤销）；当日起无效 / revocation date, invalid from that day';

CREATE TABLE tech_sme_register (
    name          VARCHAR NOT NULL,
    uscc          VARCHAR NOT NULL,
    region_code   VARCHAR NOT NULL,
    reg_no        VARCHAR NOT NULL,
    registered_on DATE NOT NULL,
    source_sheet  VARCHAR,
    source_row    INTEGER NOT NULL,
    load_id       BIGINT NOT NULL
);
COMMENT ON TABLE tech_sme_register IS '科技型中小企业入库名单（保密：企业级） / tech-SME register entries (confidential)';

CREATE TABLE cultivation_pool (
    name               VARCHAR NOT NULL,
    uscc               VARCHAR NOT NULL,
    region_code        VARCHAR NOT NULL,
    founded_on         DATE NOT NULL,
    staff              INTEGER NOT NULL,
    sci_staff          INTEGER NOT NULL,
    assets_wan         DOUBLE NOT NULL,
    revenue_1y_wan     DOUBLE NOT NULL,
    revenue_3y_wan     DOUBLE NOT NULL,
    rd_1y_wan          DOUBLE NOT NULL,
    rd_3y_wan          DOUBLE NOT NULL,
    rd_domestic_3y_wan DOUBLE NOT NULL,
    hitech_revenue_wan DOUBLE NOT NULL,
    total_income_wan   DOUBLE NOT NULL,
    ip_class1          INTEGER NOT NULL,
    ip_class2          INTEGER NOT NULL,
    eval_year          INTEGER NOT NULL,
    source_sheet       VARCHAR,
    source_row         INTEGER NOT NULL,
    load_id            BIGINT NOT NULL
);
COMMENT ON TABLE cultivation_pool IS '高新技术企业培育库（保密：企业级财务指标） / cultivation pool with financial indicators (confidential)';

CREATE TABLE platform_register (
    name          VARCHAR NOT NULL,
    platform_type VARCHAR NOT NULL,
    level         VARCHAR NOT NULL CHECK (level IN ('national', 'provincial', 'city')),
    host_name     VARCHAR NOT NULL,
    host_uscc     VARCHAR NOT NULL,
    region_code   VARCHAR NOT NULL,
    recognized_on DATE NOT NULL,
    revoked_on    DATE,
    source_sheet  VARCHAR,
    source_row    INTEGER NOT NULL,
    load_id       BIGINT NOT NULL
);
COMMENT ON TABLE platform_register IS '创新平台名单 / innovation platforms (重点实验室、孵化器…) with level and dates';

-- The platform types and the catalog indicator each counts towards.
CREATE TABLE platform_types (
    key       VARCHAR PRIMARY KEY,
    name_zh   VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL
);
COMMENT ON TABLE platform_types IS '平台类型及其计入的指标（孵化器、众创空间计入incubators） / platform types and the indicator they count towards';
INSERT INTO platform_types VALUES
    ('key_lab', '重点实验室', 'platforms', 1),
    ('tech_innovation_center', '技术创新中心', 'platforms', 2),
    ('engineering_center', '工程技术研究中心', 'platforms', 3),
    ('enterprise_tech_center', '企业技术中心', 'platforms', 4),
    ('academician_station', '院士工作站', 'platforms', 5),
    ('new_rd_institution', '新型研发机构', 'platforms', 6),
    ('industry_tech_institute', '产业技术研究院', 'platforms', 7),
    ('intl_cooperation_base', '国际科技合作基地', 'platforms', 8),
    ('clinical_research_center', '临床医学研究中心', 'platforms', 9),
    ('incubator', '科技企业孵化器', 'incubators', 10),
    ('maker_space', '众创空间', 'incubators', 11);

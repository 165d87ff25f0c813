-- The model runner's build state, and the method parameters the marts read
-- as data: tier cut-offs of the city league table and the composite
-- innovation index (DOMAIN.md §4 tiers, §7 index).

-- One row per model: what it was last built from. A model whose state hash
-- (its file, the fingerprints of the tables it reads, the states of its
-- upstream models) is unchanged is skipped by the next build.
CREATE TABLE model_state (
    model        VARCHAR PRIMARY KEY,
    materialized VARCHAR NOT NULL CHECK (materialized IN ('view', 'table')),
    sql_hash     VARCHAR NOT NULL,
    state_hash   VARCHAR NOT NULL,
    rows         BIGINT,
    built_at     TIMESTAMPTZ NOT NULL,
    run_id       BIGINT,
    duration_ms  DOUBLE
);
COMMENT ON TABLE model_state IS '模型构建状态（增量构建依据） / what each model was last built from, for incremental builds';
COMMENT ON COLUMN model_state.model IS '模型名 / model name';
COMMENT ON COLUMN model_state.materialized IS '物化方式 view/table / materialisation';
COMMENT ON COLUMN model_state.sql_hash IS '模型文件的SHA-256 / sha256 of the model file';
COMMENT ON COLUMN model_state.state_hash IS '文件、输入表指纹与上游模型状态的哈希 / hash of the file, input fingerprints and upstream states';
COMMENT ON COLUMN model_state.rows IS '行数（视图为空） / rows, NULL for a view';
COMMENT ON COLUMN model_state.built_at IS '构建时间 / when it was built';
COMMENT ON COLUMN model_state.run_id IS '所属运行 / run that built it';
COMMENT ON COLUMN model_state.duration_ms IS '耗时（毫秒） / build time in milliseconds';

-- Tiers (梯队) of the province's cities by rank: a city is in the first tier
-- whose max_rank is at least its rank; NULL max_rank takes every rank left.
-- Ties share a rank, so a tie on the boundary puts both cities in the tier.
CREATE TABLE tier_cutoffs (
    tier     INTEGER PRIMARY KEY CHECK (tier >= 1),
    name_zh  VARCHAR NOT NULL,
    name_en  VARCHAR NOT NULL,
    max_rank INTEGER CHECK (max_rank >= 1)
);
COMMENT ON TABLE tier_cutoffs IS '城市梯队划分（按位次） / tiers of the province''s cities by rank';
COMMENT ON COLUMN tier_cutoffs.tier IS '梯队序号（1=第一梯队） / tier number, 1 = first';
COMMENT ON COLUMN tier_cutoffs.max_rank IS '本梯队最低位次（空=其余全部） / last rank in the tier, NULL = all the rest';
INSERT INTO tier_cutoffs VALUES
(1, '第一梯队', 'first tier', 4),
(2, '第二梯队', 'second tier', 10),
(3, '第三梯队', 'third tier', NULL);

-- The composite index (DOMAIN.md §7), in the manner of the European Regional
-- Innovation Scoreboard. One row per component indicator. The value used is
-- the year-end value (annual period, or December: for flows the full-year
-- total), made comparable across unit sizes where per_indicator is set:
-- value ÷ per_indicator value × per_scale (per 100 亿元 of GDP: per_scale 100).
CREATE TABLE index_parameters (
    indicator     VARCHAR PRIMARY KEY REFERENCES indicators (code),
    weight        DOUBLE NOT NULL CHECK (weight > 0),
    transform     VARCHAR NOT NULL CHECK (transform IN ('none', 'sqrt')),
    per_indicator VARCHAR REFERENCES indicators (code),
    per_scale     DOUBLE CHECK (per_scale > 0),
    label_zh      VARCHAR NOT NULL,
    note          VARCHAR,
    CHECK ((per_indicator IS NULL) = (per_scale IS NULL))
);
COMMENT ON TABLE index_parameters IS '创新指数构成指标及参数 / components of the innovation index and their parameters';
COMMENT ON COLUMN index_parameters.weight IS '权重 / weight';
COMMENT ON COLUMN index_parameters.transform IS '归一化前变换：none 不变换, sqrt 开平方（偏态计数） / transform before normalisation';
COMMENT ON COLUMN index_parameters.per_indicator IS '强度化分母指标（如GDP） / indicator the value is divided by';
COMMENT ON COLUMN index_parameters.per_scale IS '强度化系数：值 ÷ 分母 × 系数 / factor: value ÷ per_indicator × per_scale';
COMMENT ON COLUMN index_parameters.label_zh IS '口径说明 / what the component measures';
INSERT INTO index_parameters VALUES
('rd_intensity', 1, 'none', NULL, NULL, 'R&D经费投入强度（%）', 'ratio: comparable as it is'),
('hitech_output_share', 1, 'none', NULL, NULL, '高新技术产业产值占规上工业总产值比重（%，全年）', 'ratio of December year-to-date values'),
('hitech_enterprises', 1, 'sqrt', 'gdp', 100, '每百亿元GDP高新技术企业数（家，开平方）', 'count per 100 亿元 GDP; skewed, square root'),
('tech_smes', 1, 'sqrt', 'gdp', 100, '每百亿元GDP科技型中小企业数（家，开平方）', 'count per 100 亿元 GDP; skewed, square root'),
('platforms', 1, 'sqrt', 'gdp', 100, '每百亿元GDP省级以上科技创新平台数（个，开平方）', 'count per 100 亿元 GDP; skewed, square root'),
('tech_contract_turnover', 1, 'sqrt', 'gdp', 100, '技术合同成交额占GDP比重（%，开平方）', 'full-year amount as % of GDP; skewed, square root');

-- The window of years the min–max normalisation spans (every unit and every
-- year in it), and the share of the total weight a unit-year must have data
-- for to get a score.
CREATE TABLE index_settings (
    first_year       INTEGER NOT NULL,
    last_year        INTEGER,
    min_weight_share DOUBLE NOT NULL CHECK (min_weight_share > 0 AND min_weight_share <= 1),
    CHECK (last_year IS NULL OR last_year >= first_year)
);
COMMENT ON TABLE index_settings IS '创新指数方法参数（一行） / method settings of the innovation index (one row)';
COMMENT ON COLUMN index_settings.first_year IS '归一化窗口起始年 / first year of the normalisation window';
COMMENT ON COLUMN index_settings.last_year IS '归一化窗口末年（空=最新） / last year, NULL = latest with data';
COMMENT ON COLUMN index_settings.min_weight_share IS '计算得分所需的最低权重覆盖率 / share of total weight needed for a score';
INSERT INTO index_settings VALUES (2016, NULL, 0.5);

-- Performance groups by index (province = 100): the group with the highest
-- min_index not above the index; NULL min_index is the lowest group.
CREATE TABLE index_groups (
    code       VARCHAR PRIMARY KEY,
    name_zh    VARCHAR NOT NULL,
    name_en    VARCHAR NOT NULL,
    min_index  DOUBLE,
    sort_order INTEGER NOT NULL
);
COMMENT ON TABLE index_groups IS '创新指数分组（全省=100） / performance groups by index, province = 100';
COMMENT ON COLUMN index_groups.min_index IS '下限（含；空=最低组） / lower bound, inclusive; NULL = lowest group';
INSERT INTO index_groups VALUES
('leader', '领先型', 'innovation leader', 125, 1),
('strong', '较强型', 'strong innovator', 100, 2),
('moderate', '中等型', 'moderate innovator', 70, 3),
('emerging', '追赶型', 'emerging innovator', NULL, 4);

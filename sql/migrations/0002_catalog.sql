-- The indicator catalog of DOMAIN.md §3, as data.
-- code, 中文, English, unit, kind, flow, frequency, aggregation, better,
-- min, max, basis, numerator, denominator, scale, decimals, headline, order, definition
INSERT INTO indicators VALUES
('rd_expenditure', 'R&D经费内部支出', 'R&D expenditure', '亿元', 'amount', false, 'annual', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 2, false, 10, '全社会研究与试验发展（R&D）经费内部支出'),
('gdp', '地区生产总值', 'Gross domestic product', '亿元', 'amount', false, 'annual', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 2, false, 20, '地区生产总值（GDP），R&D投入强度的分母'),
('rd_intensity', 'R&D经费投入强度', 'R&D intensity', '%', 'ratio', false, 'annual', 'ratio_of_sums', 'higher',
  0, 100, 'ratio', 'rd_expenditure', 'gdp', 100, 2, true, 30, 'R&D经费内部支出 ÷ 地区生产总值 × 100'),
('hitech_output', '高新技术产业产值', 'High-tech industry output', '亿元', 'amount', true, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 2, false, 40, '规模以上高新技术产业产值，1-N月累计'),
('industrial_output', '规模以上工业总产值', 'Industrial output above designated size', '亿元', 'amount', true, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 2, false, 50, '规模以上工业总产值，1-N月累计，高新技术产业产值占比的分母'),
('hitech_output_share', '高新技术产业产值占比', 'High-tech share of industrial output', '%', 'ratio', true, 'monthly', 'ratio_of_sums', 'higher',
  0, 100, 'ratio', 'hitech_output', 'industrial_output', 100, 2, true, 60, '高新技术产业产值 ÷ 规模以上工业总产值 × 100（1-N月累计）'),
('hitech_enterprises', '高新技术企业数', 'High-tech enterprises', '家', 'count', false, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 0, true, 70, '有效期内高新技术企业数，期末存量'),
('tech_smes', '科技型中小企业入库数', 'Tech-based SMEs registered', '家', 'count', false, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 0, false, 80, '科技型中小企业评价入库数，期末存量'),
('platforms', '省级以上科技创新平台', 'Provincial-or-higher innovation platforms', '个', 'count', false, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 0, true, 90, '重点实验室、技术创新中心、工程技术研究中心、院士工作站、新型研发机构等，期末存量'),
('incubators', '省级以上科技企业孵化器和众创空间', 'Provincial-or-higher incubators and maker spaces', '家', 'count', false, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 0, false, 100, '省级以上科技企业孵化器和众创空间，期末存量'),
('incubation_area', '孵化面积', 'Incubation floor area', '万平方米', 'amount', false, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 1, false, 110, '孵化载体孵化面积，期末存量'),
('tech_contract_turnover', '技术合同成交额', 'Technology contract turnover', '亿元', 'amount', true, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 2, true, 120, '技术合同认定登记成交额，1-N月累计'),
('achievements_transferred', '引进转化科技成果', 'Technology achievements transferred', '项', 'count', true, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 0, false, 130, '年内引进转化先进科技成果，1-N月累计'),
('key_tech_breakthroughs', '攻克“卡脖子”关键技术', 'Key bottleneck technologies solved', '项', 'count', true, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 0, false, 140, '年内攻克“卡脖子”技术难题，1-N月累计'),
('star_market_listings', '科创板上市企业', 'STAR Market listed companies', '家', 'count', false, 'monthly', 'sum', 'higher',
  0, NULL, 'per_unit', NULL, NULL, NULL, 0, false, 150, '在科创板上市的企业数，累计');

-- Accepted input units: value in catalog unit = value × factor.
INSERT INTO indicator_units
SELECT code, unit, 1 FROM indicators;
INSERT INTO indicator_units
SELECT code, u.unit, u.factor
FROM indicators, (VALUES ('万元', 0.0001), ('元', 0.00000001), ('千万元', 0.1)) AS u (unit, factor)
WHERE indicators.unit = '亿元';
INSERT INTO indicator_units
SELECT code, u.unit, u.factor
FROM indicators, (VALUES ('平方米', 0.0001), ('㎡', 0.0001), ('万㎡', 1)) AS u (unit, factor)
WHERE indicators.unit = '万平方米';
INSERT INTO indicator_units
SELECT code, u.unit, 1
FROM indicators, (VALUES ('个'), ('家'), ('项'), ('户')) AS u (unit)
WHERE indicators.kind = 'count' AND u.unit <> indicators.unit;

-- Header spellings seen in the templates counties send.
INSERT INTO indicator_aliases VALUES
('R&D经费支出', 'rd_expenditure'), ('R&D经费', 'rd_expenditure'), ('研发经费', 'rd_expenditure'), ('研发经费支出', 'rd_expenditure'),
('GDP', 'gdp'), ('生产总值', 'gdp'),
('R&D投入强度', 'rd_intensity'), ('研发投入强度', 'rd_intensity'), ('R&D经费投入强度(%)', 'rd_intensity'),
('高新技术产业产值占规上工业总产值比重', 'hitech_output_share'), ('高新技术产业产值占比(%)', 'hitech_output_share'), ('占比', 'hitech_output_share'),
('规上工业总产值', 'industrial_output'), ('工业总产值', 'industrial_output'),
('高新技术企业', 'hitech_enterprises'), ('高企数', 'hitech_enterprises'), ('高新技术企业数量', 'hitech_enterprises'),
('科技型中小企业', 'tech_smes'), ('科技型中小企业数', 'tech_smes'),
('科技创新平台', 'platforms'), ('省级以上平台', 'platforms'),
('孵化器和众创空间', 'incubators'), ('孵化载体', 'incubators'),
('技术合同成交额', 'tech_contract_turnover'), ('技术交易额', 'tech_contract_turnover'),
('科技成果转化', 'achievements_transferred'), ('引进转化先进科技成果', 'achievements_transferred'),
('卡脖子技术', 'key_tech_breakthroughs'), ('攻克卡脖子技术难题', 'key_tech_breakthroughs'),
('科创板上市企业数', 'star_market_listings');

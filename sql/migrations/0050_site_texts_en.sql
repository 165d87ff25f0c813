-- English names for the site's language switch. The catalog and the regions
-- are data; their English texts are data too, in side tables (DuckDB cannot
-- add a column to a table other tables reference by foreign key). A region or
-- indicator without a row here shows its Chinese text in English mode.

CREATE TABLE region_names_en (
    region_code VARCHAR PRIMARY KEY REFERENCES regions (code),
    name_en     VARCHAR NOT NULL
);
COMMENT ON TABLE region_names_en IS '区划英文名（网站英文界面） / English region names for the site';

CREATE TABLE indicator_definitions_en (
    indicator     VARCHAR PRIMARY KEY REFERENCES indicators (code),
    definition_en VARCHAR NOT NULL
);
COMMENT ON TABLE indicator_definitions_en IS '指标英文定义（网站英文界面） / English indicator definitions for the site';

INSERT INTO region_names_en VALUES
('370000', 'Shandong'),
('370100', 'Jinan'), ('370200', 'Qingdao'), ('370300', 'Zibo'), ('370400', 'Zaozhuang'),
('370500', 'Dongying'), ('370600', 'Yantai'), ('370700', 'Weifang'), ('370800', 'Jining'),
('370900', 'Tai''an'), ('371000', 'Weihai'), ('371100', 'Rizhao'), ('371200', 'Laiwu'),
('371300', 'Linyi'), ('371400', 'Dezhou'), ('371500', 'Liaocheng'), ('371600', 'Binzhou'),
('371700', 'Heze'),
('371302', 'Lanshan'), ('371311', 'Luozhuang'), ('371312', 'Hedong'), ('371321', 'Yinan'),
('371322', 'Tancheng'), ('371323', 'Yishui'), ('371324', 'Lanling'), ('371325', 'Feixian'),
('371326', 'Pingyi'), ('371327', 'Junan'), ('371328', 'Mengyin'), ('371329', 'Linshu'),
('371371', 'Linyi High-tech Zone'), ('371372', 'Linyi Economic Development Zone'),
('371373', 'Linyi Lingang Economic Development Zone');

INSERT INTO indicator_definitions_en VALUES
('rd_expenditure', 'Intramural expenditure on research and experimental development (R&D) of the whole society'),
('gdp', 'Gross domestic product; the denominator of R&D intensity'),
('rd_intensity', 'R&D expenditure ÷ GDP × 100'),
('hitech_output', 'Output of high-tech industries above designated size, year to date'),
('industrial_output', 'Gross industrial output above designated size, year to date; the denominator of the high-tech share'),
('hitech_output_share', 'High-tech industry output ÷ industrial output above designated size × 100 (year to date)'),
('hitech_enterprises', 'High-tech enterprises with a valid certificate, stock at period end'),
('tech_smes', 'Tech-based SMEs registered after evaluation, stock at period end'),
('platforms', 'Key laboratories, technology innovation centres, engineering research centres, academician workstations, new R&D institutions and similar, provincial level or higher; stock at period end'),
('incubators', 'Technology business incubators and maker spaces, provincial level or higher; stock at period end'),
('incubation_area', 'Floor area of incubators; stock at period end'),
('tech_contract_turnover', 'Turnover of registered technology contracts, year to date'),
('achievements_transferred', 'Advanced technology achievements introduced and transferred this year, year to date'),
('key_tech_breakthroughs', 'Key "bottleneck" technologies solved this year, year to date'),
('star_market_listings', 'Companies listed on the STAR Market, cumulative');

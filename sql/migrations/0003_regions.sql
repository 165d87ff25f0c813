-- Regions of Shandong known to the product (reference/division_codes.csv),
-- aliases for the spellings found in files, and the unit counts behind the
-- per-unit provincial averages.
INSERT INTO regions VALUES
('370000', '山东省', '山东', 'province', NULL, NULL, NULL, 1),
('370100', '济南市', '济南', 'city', '370000', NULL, NULL, 101),
('370200', '青岛市', '青岛', 'city', '370000', NULL, NULL, 102),
('370300', '淄博市', '淄博', 'city', '370000', NULL, NULL, 103),
('370400', '枣庄市', '枣庄', 'city', '370000', NULL, NULL, 104),
('370500', '东营市', '东营', 'city', '370000', NULL, NULL, 105),
('370600', '烟台市', '烟台', 'city', '370000', NULL, NULL, 106),
('370700', '潍坊市', '潍坊', 'city', '370000', NULL, NULL, 107),
('370800', '济宁市', '济宁', 'city', '370000', NULL, NULL, 108),
('370900', '泰安市', '泰安', 'city', '370000', NULL, NULL, 109),
('371000', '威海市', '威海', 'city', '370000', NULL, NULL, 110),
('371100', '日照市', '日照', 'city', '370000', NULL, NULL, 111),
('371200', '莱芜市', '莱芜', 'city', '370000', NULL, 2018, 112),
('371300', '临沂市', '临沂', 'city', '370000', NULL, NULL, 113),
('371400', '德州市', '德州', 'city', '370000', NULL, NULL, 114),
('371500', '聊城市', '聊城', 'city', '370000', NULL, NULL, 115),
('371600', '滨州市', '滨州', 'city', '370000', NULL, NULL, 116),
('371700', '菏泽市', '菏泽', 'city', '370000', NULL, NULL, 117),
('371302', '兰山区', '兰山', 'county', '371300', NULL, NULL, 201),
('371311', '罗庄区', '罗庄', 'county', '371300', NULL, NULL, 202),
('371312', '河东区', '河东', 'county', '371300', NULL, NULL, 203),
('371321', '沂南县', '沂南', 'county', '371300', NULL, NULL, 204),
('371322', '郯城县', '郯城', 'county', '371300', NULL, NULL, 205),
('371323', '沂水县', '沂水', 'county', '371300', NULL, NULL, 206),
('371324', '兰陵县', '兰陵', 'county', '371300', NULL, NULL, 207),
('371325', '费县', '费县', 'county', '371300', NULL, NULL, 208),
('371326', '平邑县', '平邑', 'county', '371300', NULL, NULL, 209),
('371327', '莒南县', '莒南', 'county', '371300', NULL, NULL, 210),
('371328', '蒙阴县', '蒙阴', 'county', '371300', NULL, NULL, 211),
('371329', '临沭县', '临沭', 'county', '371300', NULL, NULL, 212),
('371371', '临沂高新技术产业开发区', '临沂高新区', 'zone', '371300', NULL, NULL, 221),
('371372', '临沂经济技术开发区', '临沂经开区', 'zone', '371300', NULL, 2019, 222),
('371373', '临沂临港经济开发区', '临沂临港区', 'zone', '371300', NULL, 2019, 223);

INSERT INTO region_aliases VALUES
('高新区', '371371'), ('临沂高新区', '371371'), ('高新技术产业开发区', '371371'),
('经开区', '371372'), ('经济技术开发区', '371372'), ('临沂经济开发区', '371372'),
('临港区', '371373'), ('临港经济开发区', '371373'), ('临港', '371373'),
('全省', '370000'), ('山东', '370000'),
('全市', '371300'), ('临沂', '371300');

-- Shandong has had 136 county-level units since 2019 (DOMAIN.md §2); the
-- 2016–2018 count is taken as the same until a verified list is loaded.
INSERT INTO unit_counts
SELECT '370000', 'county', y, 136, 'DOMAIN.md §2 (2020); earlier years assumed equal' FROM range(2010, 2031) t (y);
INSERT INTO unit_counts
SELECT '370000', 'city', y, 16, 'DOMAIN.md §2: 16 prefecture cities' FROM range(2019, 2031) t (y);
INSERT INTO unit_counts
SELECT '370000', 'city', y, 17, '莱芜市 merged into 济南市 in January 2019' FROM range(2010, 2019) t (y);

INSERT INTO focus VALUES ('371300', '370000');

-- The sources of the per-unit divisors, as the methodology page prints
-- them (issue 14, item 14): they cited "DOMAIN.md §2", a design note that
-- is not part of the warehouse or the site. Data only; no column changes.
UPDATE unit_counts
SET source = '山东省行政区划：136个县级单位（2020年）；此前年份按同数计'
WHERE region_code = '370000' AND level = 'county' AND source LIKE 'DOMAIN.md%';
UPDATE unit_counts
SET source = '山东省行政区划：16个设区市（2019年1月莱芜市并入济南市后）'
WHERE region_code = '370000' AND level = 'city' AND source LIKE 'DOMAIN.md%';
UPDATE unit_counts
SET source = '山东省行政区划：17个设区市（莱芜市2019年1月并入济南市前）'
WHERE region_code = '370000' AND level = 'city' AND source = '莱芜市 merged into 济南市 in January 2019';

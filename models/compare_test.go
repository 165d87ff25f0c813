package models_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Year-on-year and rank change in county_vs_province, worked out by hand from
// testdata/compare/facts.csv (2019 and 2020).
func TestCountyVsProvinceYoYAndRankChange(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	q := `SELECT region_code, value, prev_value, yoy, yoy_unit, rank, prev_rank, rank_change, peer_count, rank_change_note
		FROM county_vs_province WHERE indicator = ? AND period = ? ORDER BY level = 'city', region_code`

	// R&D intensity, a ratio: change in 百分点.
	// 2019: 兰山 2/100 = 2.0, 罗庄 3/100 = 3.0, 河东 1/50 = 2.0, 沂南 1.6/80 = 2.0,
	//       高新区 missing → ranks 罗庄 1, the three 2.0s share 2 (1, 2, 2, 2).
	// 2020: 高新区 5.0 (1), 兰山 3.0 (2), 罗庄 and 河东 2.0 (3, 3), 沂南 missing.
	// Cities 2019: 济南 30/1000 = 3.0 (1), 青岛 22/1000 = 2.2 (2), 临沂 8/400 = 2.0 (3);
	// 2020: 济南 3.0 (1), 临沂 10/400 = 2.5 (2), 青岛 2.0 (3).
	// A rank change compares the same peers: 高新区 is ranked in 2020 but
	// had no 2019 value, so no county has a rank change (the old model gave
	// 罗庄 "−2" against a 2019 ranking without 高新区), and each says why.
	const why = "本期参与排名的4个单位中有1个上年同期无数据，位次不可比"
	want := [][]any{
		// 兰山 3.0 − 2.0 = +1 pt.
		{"371302", 3.0, 2.0, 1.0, "百分点", 2, nil, nil, 4, why},
		// 罗庄 2.0 − 3.0 = −1 pt.
		{"371311", 2.0, 3.0, -1.0, "百分点", 3, nil, nil, 4, why},
		// 河东 2.0 − 2.0 = 0.
		{"371312", 2.0, 2.0, 0.0, "百分点", 3, nil, nil, 4, why},
		// 沂南 missing in 2020: no yoy, no rank, no change (never 0).
		{"371321", nil, 2.0, nil, "百分点", nil, nil, nil, 4, nil},
		// 高新区 missing in 2019: no previous value, rank or change.
		{"371371", 5.0, nil, nil, "百分点", 1, nil, nil, 4, "上年同期无数据"},
		// 临沂 2.5 − 2.0 = +0.5 pt; the same three cities both years: 3 → 2: +1.
		{"371300", 2.5, 2.0, 0.5, "百分点", 2, 3, 1, 3, nil},
	}
	if diff := cmp.Diff(want, rows(t, db, q, "rd_intensity", "2020")); diff != "" {
		t.Errorf("rd_intensity 2020 (-want +got):\n%s", diff)
	}

	// R&D expenditure, an amount: change in percent.
	// 兰山 20000 万元 = 2 亿元 → 3: +50%; 罗庄 3 → 2: −33.3333%; 河东 1 → 1: 0%;
	// 临沂 8 → 10: +25%; 高新区 no 2019 value. Ranks by amount (per_unit basis):
	// 2019 罗庄 3 (1), 兰山 2 (2), 沂南 1.6 (3), 河东 1 (4); 2020 兰山 3 (1),
	// 罗庄 2 (2), 高新区 1.5 (3), 河东 1 (4). Cities 2019 济南 30, 青岛 22, 临沂 8 (3);
	// 2020 济南 30, 青岛 20, 临沂 10 (3).
	want = [][]any{
		{"371302", 3.0, 2.0, 50.0, "%", 1, nil, nil, 4, why},
		{"371311", 2.0, 3.0, r6((2.0/3 - 1) * 100), "%", 2, nil, nil, 4, why},
		{"371312", 1.0, 1.0, 0.0, "%", 4, nil, nil, 4, why},
		{"371321", nil, 1.6, nil, "%", nil, nil, nil, 4, nil},
		{"371371", 1.5, nil, nil, "%", 3, nil, nil, 4, "上年同期无数据"},
		{"371300", 10.0, 8.0, 25.0, "%", 3, 3, 0, 3, nil},
	}
	if diff := cmp.Diff(want, rows(t, db, q, "rd_expenditure", "2020")); diff != "" {
		t.Errorf("rd_expenditure 2020 (-want +got):\n%s", diff)
	}
}

// Monthly flows compare year-to-date with year-to-date, first month included.
func TestCountyVsProvinceYoYOnYearToDate(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	q := `SELECT period, indicator, value, prev_value, yoy FROM county_vs_province
		WHERE region_code = '371300' AND indicator IN ('hitech_output', 'hitech_output_share') AND year = 2020
		ORDER BY indicator, period`
	// 临沂 hitech_output 1-N月: 2019 10, 25, 45; 2020 12, 20, 42.
	// industrial_output: 2019 40, 100, 150; 2020 30, 80, 140.
	want := [][]any{
		// 1月 12 vs 10: +20%; 1-2月 20 vs 25: −20%; 1-3月 42 vs 45: −6.6667%.
		{"2020-01", "hitech_output", 12.0, 10.0, 20.0},
		{"2020-02", "hitech_output", 20.0, 25.0, -20.0},
		{"2020-03", "hitech_output", 42.0, 45.0, r6((42.0/45 - 1) * 100)},
		// Shares of the year-to-date parts: 2019 10/40 = 25, 25/100 = 25, 45/150 = 30;
		// 2020 12/30 = 40, 20/80 = 25, 42/140 = 30. Changes in points: +15, 0, 0.
		{"2020-01", "hitech_output_share", 40.0, 25.0, 15.0},
		{"2020-02", "hitech_output_share", 25.0, 25.0, 0.0},
		{"2020-03", "hitech_output_share", 30.0, 30.0, 0.0},
	}
	if diff := cmp.Diff(want, rows(t, db, q)); diff != "" {
		t.Errorf("临沂 2020 year-to-date YoY (-want +got):\n%s", diff)
	}
}

func TestMonthlyValues(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	q := `SELECT region_code, period, indicator, ytd_value, month_value, missing_reason FROM monthly_values
		WHERE year = 2020 ORDER BY region_code, indicator, period`
	want := [][]any{
		// 临沂 hitech_output: January is itself (12); 20 − 12 = 8; 42 − 20 = 22.
		{"371300", "2020-01", "hitech_output", 12.0, 12.0, nil},
		{"371300", "2020-02", "hitech_output", 20.0, 8.0, nil},
		{"371300", "2020-03", "hitech_output", 42.0, 22.0, nil},
		// The share is recomputed from single-month parts, never differenced:
		// 12/30 = 40; 8/50 = 16; 22/60 = 36.6667 (differencing 30 − 25 would give 5).
		{"371300", "2020-01", "hitech_output_share", 40.0, 40.0, nil},
		{"371300", "2020-02", "hitech_output_share", 25.0, 16.0, nil},
		{"371300", "2020-03", "hitech_output_share", 30.0, r6(22.0 / 60 * 100), nil},
		// industrial_output: 30; 80 − 30 = 50; 140 − 80 = 60.
		{"371300", "2020-01", "industrial_output", 30.0, 30.0, nil},
		{"371300", "2020-02", "industrial_output", 80.0, 50.0, nil},
		{"371300", "2020-03", "industrial_output", 140.0, 60.0, nil},
		// 兰山 hitech_output 2月 missing: February and March single months are
		// missing (never 0, never the YTD itself), each saying why.
		{"371302", "2020-01", "hitech_output", 5.0, 5.0, nil},
		{"371302", "2020-02", "hitech_output", nil, nil, "2月累计缺失：兰山区2月未报送"},
		{"371302", "2020-03", "hitech_output", 15.0, nil, "2月累计缺失：兰山区2月未报送"},
		{"371302", "2020-01", "hitech_output_share", 25.0, 25.0, nil},
		{"371302", "2020-02", "hitech_output_share", nil, nil, "当月值暂缺；2月累计缺失：兰山区2月未报送"},
		{"371302", "2020-03", "hitech_output_share", 25.0, nil, "当月值暂缺；2月累计缺失：兰山区2月未报送"},
		{"371302", "2020-01", "industrial_output", 20.0, 20.0, nil},
		{"371302", "2020-02", "industrial_output", 40.0, 20.0, nil},
		{"371302", "2020-03", "industrial_output", 60.0, 20.0, nil},
	}
	if diff := cmp.Diff(want, rows(t, db, q)); diff != "" {
		t.Errorf("monthly_values 2020 (-want +got):\n%s", diff)
	}
}

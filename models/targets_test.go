package models_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Every target kind, worked out by hand from testdata/targets/{facts,targets}.csv.
// time_progress_pct = N/12 × 100; completion = actual ÷ target × 100; ahead
// (快于序时) when completion ≥ N/12, met when actual ≥ target.
func TestTargetProgress(t *testing.T) {
	db := warehouse(t, "targets")
	build(t, db)
	got := rows(t, db, `SELECT region_code, indicator, target_kind, as_of_period, as_of_month, baseline_period, baseline_value,
			current_value, actual_value, completion_pct, time_progress_pct, ahead_points, status, progress_text_zh
		FROM target_progress ORDER BY region_code, indicator, target_kind, as_of_period`)
	const n1, n2, n7 = 100.0 / 12, 200.0 / 12, 700.0 / 12 // 8.3333, 16.6667, 58.3333
	want := [][]any{
		// ytd_count, current missing in its only month: missing, with the reason; never 0.
		{"371300", "achievements_transferred", "ytd_count", "2020-03", 3, nil, nil,
			nil, nil, nil, 25.0, nil, "missing", "缺数：2020-03当期数缺失：3月未报送"},

		// net_increase 100 over 2019-12's 530.
		// 1月: 530 − 530 = 0 → 0% vs 1/12 = 8.33%: behind by 8.33 points.
		{"371300", "hitech_enterprises", "net_increase", "2020-01", 1, "2019-12", 530.0,
			530.0, 0.0, 0.0, r6(n1), r6(-n1), "behind", "完成目标的0.0%，慢于序时进度（1/12 = 8.3%）8.3个百分点"},
		// 6月: 30 → 30% vs 50%.
		{"371300", "hitech_enterprises", "net_increase", "2020-06", 6, "2019-12", 530.0,
			560.0, 30.0, 30.0, 50.0, -20.0, "behind", "完成目标的30.0%，慢于序时进度（6/12 = 50.0%）20.0个百分点"},
		// 9月: 75 → 75% = 9/12 exactly: ahead (≥), DOMAIN.md §5's own example.
		{"371300", "hitech_enterprises", "net_increase", "2020-09", 9, "2019-12", 530.0,
			605.0, 75.0, 75.0, 75.0, 0.0, "ahead", "完成目标的75.0%，快于序时进度（9/12 = 75.0%）0.0个百分点"},
		// 12月: 112 ≥ 100: met.
		{"371300", "hitech_enterprises", "net_increase", "2020-12", 12, "2019-12", 530.0,
			642.0, 112.0, 112.0, 100.0, 12.0, "met", "完成目标的112.0%，快于序时进度（12/12 = 100.0%）12.0个百分点，已达到目标"},

		// total 630: actual = the stock itself. 530/630 = 84.13%.
		{"371300", "hitech_enterprises", "total", "2020-01", 1, nil, nil,
			530.0, 530.0, r6(530.0 / 630 * 100), r6(n1), r6(530.0/630*100 - n1), "ahead", "完成目标的84.1%，快于序时进度（1/12 = 8.3%）75.8个百分点"},
		{"371300", "hitech_enterprises", "total", "2020-06", 6, nil, nil,
			560.0, 560.0, r6(560.0 / 630 * 100), 50.0, r6(560.0/630*100 - 50), "ahead", "完成目标的88.9%，快于序时进度（6/12 = 50.0%）38.9个百分点"},
		{"371300", "hitech_enterprises", "total", "2020-09", 9, nil, nil,
			605.0, 605.0, r6(605.0 / 630 * 100), 75.0, r6(605.0/630*100 - 75), "ahead", "完成目标的96.0%，快于序时进度（9/12 = 75.0%）21.0个百分点"},
		{"371300", "hitech_enterprises", "total", "2020-12", 12, nil, nil,
			642.0, 642.0, r6(642.0 / 630 * 100), 100.0, r6(642.0/630*100 - 100), "met", "完成目标的101.9%，快于序时进度（12/12 = 100.0%）1.9个百分点，已达到目标"},

		// point_increase 1 百分点 over 2019-12's share 356/1000 = 35.6%.
		// 6月: 180/500 = 36.0%: +0.4 points = 40% of the target vs 50%.
		{"371300", "hitech_output_share", "point_increase", "2020-06", 6, "2019-12", 35.6,
			36.0, 0.4, 40.0, 50.0, -10.0, "behind", "完成目标的40.0%，慢于序时进度（6/12 = 50.0%）10.0个百分点"},
		// 12月: 370/1000 = 37.0%: +1.4 points ≥ 1: met.
		{"371300", "hitech_output_share", "point_increase", "2020-12", 12, "2019-12", 35.6,
			37.0, 1.4, 140.0, 100.0, 40.0, "met", "完成目标的140.0%，快于序时进度（12/12 = 100.0%）40.0个百分点，已达到目标"},

		// new_count 5 whose baseline is missing: missing, saying which period.
		{"371300", "incubators", "new_count", "2020-06", 6, "2019-12", nil,
			40.0, nil, nil, 50.0, nil, "missing", "缺数：基期（2019-12）数缺失"},

		// ytd_count 100, first month of the year: 10 → 10% ≥ 1/12: ahead by 1.67.
		{"371300", "key_tech_breakthroughs", "ytd_count", "2020-01", 1, nil, nil,
			10.0, 10.0, 10.0, r6(n1), r6(10 - n1), "ahead", "完成目标的10.0%，快于序时进度（1/12 = 8.3%）1.7个百分点"},
		// 2月: 15% < 2/12 = 16.67%: behind.
		{"371300", "key_tech_breakthroughs", "ytd_count", "2020-02", 2, nil, nil,
			15.0, 15.0, 15.0, r6(n2), r6(15 - n2), "behind", "完成目标的15.0%，慢于序时进度（2/12 = 16.7%）1.7个百分点"},

		// new_count 60 with no baseline in the target: the default, 2019-12 (500).
		// 3月: 10 → 16.67% vs 25%.
		{"371300", "platforms", "new_count", "2020-03", 3, "2019-12", 500.0,
			510.0, 10.0, r6(10.0 / 60 * 100), 25.0, r6(10.0/60*100 - 25), "behind", "完成目标的16.7%，慢于序时进度（3/12 = 25.0%）8.3个百分点"},
		// 12月: exactly 60: met.
		{"371300", "platforms", "new_count", "2020-12", 12, "2019-12", 500.0,
			560.0, 60.0, 100.0, 100.0, 0.0, "met", "完成目标的100.0%，快于序时进度（12/12 = 100.0%）0.0个百分点，已达到目标"},

		// above_province, annual: 临沂 10/400 = 2.5% vs the province's 100/5000 = 2.0%:
		// +0.5 points, met. Baseline 2019: 8/400 = 2.0. No completion or time race.
		{"371300", "rd_intensity", "above_province", "2020", 12, "2019", 2.0,
			2.5, 0.5, nil, 100.0, nil, "met", "高于全省0.50个百分点"},

		// count_this_year 1 (range 1–2) over 2019-12's 0: 0 in 6月, 1 in 7月.
		{"371300", "star_market_listings", "count_this_year", "2020-06", 6, "2019-12", 0.0,
			0.0, 0.0, 0.0, 50.0, -50.0, "behind", "完成目标的0.0%，慢于序时进度（6/12 = 50.0%）50.0个百分点"},
		{"371300", "star_market_listings", "count_this_year", "2020-07", 7, "2019-12", 0.0,
			1.0, 1.0, 100.0, r6(n7), r6(100 - n7), "met", "完成目标的100.0%，快于序时进度（7/12 = 58.3%）41.7个百分点，已达到目标"},

		// above_province for a county: 罗庄 1.8/100 = 1.8% vs 2.0%: −0.2 points, behind.
		{"371311", "rd_intensity", "above_province", "2020", 12, "2019", nil,
			1.8, -0.2, nil, 100.0, nil, "behind", "低于全省0.20个百分点"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("target_progress (-want +got):\n%s", diff)
	}
}

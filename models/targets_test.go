package models_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Every target kind, worked out by hand from testdata/{facts,targets}.csv
// (issue 14, item 2: how each kind is judged; item 11: the words).
// time_progress_pct = N/12 × 100 for paced kinds; completion = actual ÷
// needed × 100; the pace is compared at the printed precision (one
// decimal): ahead, on pace (与序时进度持平) or behind; met when reached.
func TestTargetProgress(t *testing.T) {
	db := warehouse(t, "targets")
	build(t, db)
	got := rows(t, db, `SELECT region_code, indicator, target_kind, as_of_period, as_of_month, baseline_period, baseline_value,
			current_value, actual_value, completion_pct, time_progress_pct, ahead_points, status, progress_text_zh
		FROM target_progress ORDER BY region_code, indicator, target_kind, as_of_period`)
	const n1, n2, n7 = 100.0 / 12, 200.0 / 12, 700.0 / 12 // 8.3333, 16.6667, 58.3333
	want := [][]any{
		// ytd_count, current missing in its only month: missing, with the
		// reason in words (no period codes); never 0.
		{"371300", "achievements_transferred", "ytd_count", "2020-03", 3, nil, nil,
			nil, nil, nil, 25.0, nil, "missing", "缺数：2020年3月数据暂缺（3月未报送）"},

		// net_increase 100 over 2019-12's 530.
		// 1月: 530 − 530 = 0 → 0% vs 1/12 = 8.33%: behind by 8.33 points.
		{"371300", "hitech_enterprises", "net_increase", "2020-01", 1, "2019-12", 530.0,
			530.0, 0.0, 0.0, r6(n1), r6(-n1), "behind", "完成目标的0.0%，慢于序时进度（1/12 = 8.3%）8.3个百分点"},
		// 6月: 30 → 30% vs 50%.
		{"371300", "hitech_enterprises", "net_increase", "2020-06", 6, "2019-12", 530.0,
			560.0, 30.0, 30.0, 50.0, -20.0, "behind", "完成目标的30.0%，慢于序时进度（6/12 = 50.0%）20.0个百分点"},
		// 9月: 75 → 75% = 9/12 exactly: on pace, not "快于…0.0个百分点".
		{"371300", "hitech_enterprises", "net_increase", "2020-09", 9, "2019-12", 530.0,
			605.0, 75.0, 75.0, 75.0, 0.0, "on_pace", "完成目标的75.0%，与序时进度（9/12 = 75.0%）持平"},
		// 12月: 112 ≥ 100: met, said without a pace.
		{"371300", "hitech_enterprises", "net_increase", "2020-12", 12, "2019-12", 530.0,
			642.0, 112.0, 112.0, 100.0, 12.0, "met", "已完成（完成目标的112.0%）"},

		// total 630: the increase since 2019-12 (530) against 630 − 530 = 100,
		// never the level ÷ 630 (which said 84% "ahead" in January with no growth).
		{"371300", "hitech_enterprises", "total", "2020-01", 1, "2019-12", 530.0,
			530.0, 0.0, 0.0, r6(n1), r6(-n1), "behind", "完成目标的0.0%，慢于序时进度（1/12 = 8.3%）8.3个百分点"},
		{"371300", "hitech_enterprises", "total", "2020-06", 6, "2019-12", 530.0,
			560.0, 30.0, 30.0, 50.0, -20.0, "behind", "完成目标的30.0%，慢于序时进度（6/12 = 50.0%）20.0个百分点"},
		{"371300", "hitech_enterprises", "total", "2020-09", 9, "2019-12", 530.0,
			605.0, 75.0, 75.0, 75.0, 0.0, "on_pace", "完成目标的75.0%，与序时进度（9/12 = 75.0%）持平"},
		// 642 ≥ 630: met; 112 of the 100 asked for.
		{"371300", "hitech_enterprises", "total", "2020-12", 12, "2019-12", 530.0,
			642.0, 112.0, 112.0, 100.0, 12.0, "met", "已完成（完成目标的112.0%）"},

		// point_increase 1 百分点 against the same period a year earlier (同比), no 序时进度.
		// 6月: 180/500 = 36.0% vs 2019-06's 170/500 = 34.0%: +2.0 points ≥ 1,
		// judged only on the full year: on track.
		{"371300", "hitech_output_share", "point_increase", "2020-06", 6, "2019-06", 34.0,
			36.0, 2.0, 200.0, nil, nil, "on_track", "同比提高2.00个百分点，已达目标幅度（以全年数评价）"},
		// 12月: 370/1000 = 37.0% vs 2019-12's 35.6%: +1.4 points ≥ 1: met.
		{"371300", "hitech_output_share", "point_increase", "2020-12", 12, "2019-12", 35.6,
			37.0, 1.4, 140.0, nil, nil, "met", "同比提高1.40个百分点，已完成"},

		// new_count 5 whose baseline is missing: missing, saying which period and why.
		{"371300", "incubators", "new_count", "2020-06", 6, "2019-12", nil,
			40.0, nil, nil, 50.0, nil, "missing", "缺数：基期（2019年12月）数据暂缺（孵化器年报核查中）"},

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
			560.0, 60.0, 100.0, 100.0, 0.0, "met", "已完成（完成目标的100.0%）"},

		// above_province, annual: 临沂 10/400 = 2.5% vs the province's 100/5000 = 2.0%:
		// +0.5 points, met. Baseline 2019: 8/400 = 2.0. No completion, no time race.
		{"371300", "rd_intensity", "above_province", "2020", 12, "2019", 2.0,
			2.5, 0.5, nil, nil, nil, "met", "高于全省0.50个百分点，已完成"},

		// count_this_year 1 (range 1–2) over 2019-12's 0: 0 in 6月, 1 in 7月.
		{"371300", "star_market_listings", "count_this_year", "2020-06", 6, "2019-12", 0.0,
			0.0, 0.0, 0.0, 50.0, -50.0, "behind", "完成目标的0.0%，慢于序时进度（6/12 = 50.0%）50.0个百分点"},
		{"371300", "star_market_listings", "count_this_year", "2020-07", 7, "2019-12", 0.0,
			1.0, 1.0, 100.0, r6(n7), r6(100 - n7), "met", "已完成（完成目标的100.0%）"},

		// A total already reached at the baseline (兰山 140 at 2019-12 ≥ 130):
		// no increase is asked, no completion rate; met, said 已完成 (the
		// crash test's generated data found the NULL sentence this had).
		{"371302", "hitech_enterprises", "total", "2020-06", 6, "2019-12", 140.0,
			145.0, 5.0, nil, 50.0, nil, "met", "已完成"},

		// above_province for a county: 罗庄 1.8/100 = 1.8% vs 2.0%: −0.2 points, not met.
		{"371311", "rd_intensity", "above_province", "2020", 12, "2019", nil,
			1.8, -0.2, nil, nil, nil, "not_met", "低于全省0.20个百分点，未达标"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("target_progress (-want +got):\n%s", diff)
	}

	// How each achievement was measured, where a reader must know it (item 8:
	// a "new" count from a stock is its net change until a register gives the flow).
	got = rows(t, db, `SELECT DISTINCT indicator, target_kind, needed_value, measure_note FROM target_progress
		WHERE region_code = '371300' AND measure_note IS NOT NULL AND as_of_period = '2020-12' ORDER BY 1, 2`)
	want = [][]any{
		{"hitech_enterprises", "total", 100.0, "按比2019年12月末的增量计算（目标值−基期值）"},
		{"hitech_output_share", "point_increase", 1.0, "与上年同期（2019年12月）比较，以全年数评价"},
		{"platforms", "new_count", 60.0, "按存量净变化计算（期末数−2019年12月末数），期间撤销或到期的会抵消新增"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("measure_note (-want +got):\n%s", diff)
	}
}

// TestTargetProgressCountsRegisterAdditions (issue 16): where a platform
// roster is loaded, "新增省级以上平台60个" is measured with the roster's
// recognitions in the year, not the stock's net change — but only for the
// indicators the roster holds and the months it can know (ended by the day
// it was loaded). The fixture's stock says +10 by March and +60 by December.
func TestTargetProgressCountsRegisterAdditions(t *testing.T) {
	db := warehouse(t, "targets")
	for _, q := range []string{
		`INSERT INTO register_loads (run_id, kind, file_name, file_hash, format, rows_read, loaded_at)
		 VALUES (1, 'platforms', 'platforms.xlsx', 'h', 'xlsx', 6, TIMESTAMPTZ '2020-06-30 12:00:00+08')`,
		`INSERT INTO platform_register (name, platform_type, level, host_name, host_uscc, region_code, recognized_on, revoked_on, source_row, load_id) VALUES
		 ('A', 'key_lab',                'provincial', 'a', 'x', '371302', DATE '2020-01-10', NULL, 2, 1),
		 ('B', 'engineering_center',     'national',   'b', 'x', '371311', DATE '2020-02-20', NULL, 3, 1),
		 ('C', 'enterprise_tech_center', 'provincial', 'c', 'x', '371302', DATE '2018-05-01', DATE '2020-02-01', 4, 1),
		 ('D', 'key_lab',                'city',       'd', 'x', '371302', DATE '2020-03-05', NULL, 5, 1),
		 ('E', 'tech_innovation_center', 'provincial', 'e', 'x', '371312', DATE '2020-03-31', NULL, 6, 1),
		 ('F', 'key_lab',                'provincial', 'f', 'x', '371302', DATE '2020-04-01', NULL, 7, 1)`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	build(t, db)
	got := rows(t, db, `SELECT indicator, as_of_period, actual_value, completion_pct, ahead_points, status, measure_note
		FROM target_progress WHERE region_code = '371300' AND target_kind = 'new_count' ORDER BY 1, 2`)
	want := [][]any{
		// No incubator in the roster: the incubator target is judged as
		// before (its baseline is missing), not as 0 new.
		{"incubators", "2020-06", nil, nil, nil, "missing", "按存量净变化计算（期末数−2019年12月末数），期间撤销或到期的会抵消新增"},
		// March: A (provincial), B (national), E (on 31 March) = 3; C's
		// revocation takes nothing from the additions, D is 市级.
		// 3 / 60 = 5.0 % against 3/12 = 25.0 %: 20.0 points behind (the
		// stock's +10 would have said 16.7 %).
		{"platforms", "2020-03", 3.0, 5.0, -20.0, "behind", "按登记册新增数计算（创新平台名单）"},
		// December ends after the roster was loaded (30 June): the stock's
		// net change, 560 − 500 = 60, and the note says so.
		{"platforms", "2020-12", 60.0, 100.0, 0.0, "met", "按存量净变化计算（期末数−2019年12月末数），期间撤销或到期的会抵消新增"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("target_progress with a platform roster (-want +got):\n%s", diff)
	}
}

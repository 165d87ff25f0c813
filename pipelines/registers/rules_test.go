package registers

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// warehouseWith loads rosters (CSV texts) into a fresh warehouse and builds
// every model and data test.
func warehouseWith(t *testing.T, files map[string][]byte) *duckdb.DB {
	t.Helper()
	ctx := context.Background()
	db, cat := testWarehouse(t)
	for name, data := range files {
		ro := Read(name, data, cat, Options{})
		if ro.HasErrors() {
			t.Fatalf("%s refused: %v", name, ro.Problems)
		}
		if _, err := Load(ctx, db, ro, 1, time.Date(2020, 11, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		t.Fatal(err)
	}
	ts, err := models.LoadTests(sqlfiles.Tests, "tests")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&models.Builder{DB: db, Models: ms, Tests: ts}).Build(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// The six enterprises of the flows fixture, worked by hand in the comments of
// TestHitechFlows (兰山区 371302 except E5 in 罗庄区 371311).
func flowsFixture() map[string][]byte {
	e := func(i int) string { return code("371302", i) }
	return map[string][]byte{"certs.csv": certCSV(
		// E1: 2014-12-05, renewed 2017-11-20 while still valid (overlapping the expiry 2017-12-05); expires 2020-11-20.
		"E1,"+e(1)+",兰山区,GR201437000001,2014-12-05,,",
		"E1,"+e(1)+",兰山区,GR201737000001,2017-11-20,,",
		// E2: 2015-06-01, lapsed 2018-06-01, re-entered 2019-03-01.
		"E2,"+e(2)+",兰山区,GR201537000002,2015-06-01,,",
		"E2,"+e(2)+",兰山区,GR201937000002,2019-03-01,,",
		// E3: 2016-12-05, revoked 2018-05-10.
		"E3,"+e(3)+",兰山区,GR201637000003,2016-12-05,2018-05-10,",
		// E4: 2017-12-05, expired 2020-12-05, recognised again 2020-12-20 (lapse and return within 2020).
		"E4,"+e(4)+",兰山区,GR201737000004,2017-12-05,,",
		"E4,"+e(4)+",兰山区,GR202037000004,2020-12-20,,",
		// E5 in 罗庄区: 2018-12-05.
		"E5,"+code("371311", 5)+",罗庄区,GR201837000005,2018-12-05,,",
		// E6: 2016-03-01, renewed on its expiry day 2019-03-01 (valid the day before: a renewal).
		"E6,"+e(6)+",兰山区,GR201637000006,2016-03-01,,",
		"E6,"+e(6)+",兰山区,GR201937000006,2019-03-01,,",
	)}
}

type flowRow struct {
	Region                                                        string
	Year                                                          int
	Start, New, Renewed, Expired, Revoked, Returned, End, NetDiff int
}

func TestHitechFlows(t *testing.T) {
	db := warehouseWith(t, flowsFixture())
	rows, err := db.SQL().Query(`SELECT region_code, year, valid_start, new_recognized, renewed, expired, revoked,
		returned_after_lapse, valid_end, valid_end - (valid_start + new_recognized - expired - revoked)
		FROM hitech_enterprise_flows WHERE region_code IN ('371302', '371311', '371300', '371312') ORDER BY region_code, year`)
	if err != nil {
		t.Fatal(err)
	}
	got := scanFlows(t, rows)
	// Validity at each 31 Dec (✓ valid):        2016 2017 2018 2019 2020
	//   E1 [2014-12-05, 2020-11-20)               ✓    ✓    ✓    ✓    ✗
	//   E2 [2015-06-01, 2018-06-01) ∪ [2019-03-01, 2022-03-01)  ✓ ✓ ✗ ✓ ✓
	//   E3 [2016-12-05, 2018-05-10) revoked       ✓    ✓    ✗    ✗    ✗
	//   E4 [2017-12-05, 2020-12-05) ∪ [2020-12-20, …)  ✗ ✓ ✓ ✓ ✓
	//   E6 [2016-03-01, 2022-03-01)               ✓    ✓    ✓    ✓    ✓
	//   E5 (罗庄) [2018-12-05, 2021-12-05)         ✗    ✗    ✓    ✓    ✓
	// Years start in 2017 (earliest certificate 2014 + 3).
	want := []flowRow{
		{"371300", 2017, 4, 1, 1, 0, 0, 0, 5, 0},
		{"371300", 2018, 5, 1, 0, 1, 1, 0, 4, 0},
		{"371300", 2019, 4, 1, 1, 0, 0, 0, 5, 0},
		{"371300", 2020, 5, 0, 0, 1, 0, 1, 4, 0},
		{"371302", 2017, 4, 1, 1, 0, 0, 0, 5, 0}, // E4 new; E1 renewed before expiry
		{"371302", 2018, 5, 0, 0, 1, 1, 0, 3, 0}, // E2 expired, E3 revoked
		{"371302", 2019, 3, 1, 1, 0, 0, 0, 4, 0}, // E2 re-entry after lapse is new; E6 renewed on its expiry day
		{"371302", 2020, 4, 0, 0, 1, 0, 1, 3, 0}, // E1 expired; E4 lapsed and returned (no net change)
		{"371311", 2017, 0, 0, 0, 0, 0, 0, 0, 0},
		{"371311", 2018, 0, 1, 0, 0, 0, 0, 1, 0},
		{"371311", 2019, 1, 0, 0, 0, 0, 0, 1, 0},
		{"371311", 2020, 1, 0, 0, 0, 0, 0, 1, 0},
		{"371312", 2017, 0, 0, 0, 0, 0, 0, 0, 0}, // a county with no certificate counts 0
		{"371312", 2018, 0, 0, 0, 0, 0, 0, 0, 0},
		{"371312", 2019, 0, 0, 0, 0, 0, 0, 0, 0},
		{"371312", 2020, 0, 0, 0, 0, 0, 0, 0, 0},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("flows (-want +got):\n%s", d)
	}
	// Month ends of 2020 for 兰山: E1 lapses on 2020-11-20, E4 on 12-05 and returns on 12-20.
	rows, err = db.SQL().Query(`SELECT region_code, month, valid_start, new_recognized, renewed, expired, revoked,
		returned_after_lapse, valid_end, 0 FROM hitech_enterprise_flows_monthly
		WHERE region_code = '371302' AND year = 2020 AND month IN (10, 11, 12) ORDER BY month`)
	if err != nil {
		t.Fatal(err)
	}
	gotM := scanFlows(t, rows)
	wantM := []flowRow{
		{"371302", 10, 4, 0, 0, 0, 0, 0, 4, 0},
		{"371302", 11, 4, 0, 0, 1, 0, 0, 3, 0},
		{"371302", 12, 4, 0, 0, 1, 0, 1, 3, 0},
	}
	if d := cmp.Diff(wantM, gotM); d != "" {
		t.Errorf("monthly flows (-want +got):\n%s", d)
	}
	var provinces int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM hitech_enterprise_flows WHERE level = 'province'`).Scan(&provinces); err != nil {
		t.Fatal(err)
	}
	if provinces != 0 {
		t.Errorf("%d province rows from a roster of one city, want none", provinces)
	}
}

func scanFlows(t *testing.T, rows *sql.Rows) []flowRow {
	t.Helper()
	defer rows.Close()
	var out []flowRow
	for rows.Next() {
		var r flowRow
		if err := rows.Scan(&r.Region, &r.Year, &r.Start, &r.New, &r.Renewed, &r.Expired, &r.Revoked, &r.Returned, &r.End, &r.NetDiff); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// cand is a 培育库 row; the base passes every condition exactly at its edge.
type cand struct {
	founded                                            string
	staff, sci                                         int
	assets, rev1, rev3, rd1, rd3, rdDom, htRev, income float64
	ip1, ip2                                           int
}

var baseCand = cand{founded: "2015-03-01", staff: 100, sci: 10, assets: 3000, rev1: 5000, rev3: 12000,
	rd1: 300, rd3: 600, rdDom: 360, htRev: 2400, income: 4000, ip1: 0, ip2: 1}

func (c cand) csv(name, uscc string, year int) string {
	return fmt.Sprintf("%s,%s,兰山区,%s,%d,%d,%v,%v,%v,%v,%v,%v,%v,%v,%d,%d,%d", name, uscc, c.founded, c.staff, c.sci,
		c.assets, c.rev1, c.rev3, c.rd1, c.rd3, c.rdDom, c.htRev, c.income, c.ip1, c.ip2, year)
}

func TestCultivationConditions(t *testing.T) {
	with := func(f func(*cand)) cand { c := baseCand; f(&c); return c }
	tests := []struct {
		name     string
		c        cand
		failed   []string
		rdGap    float64
		staffGap int
		lacks    string
	}{
		// 10 % staff, 600/12000 = 5 % at revenue 5,000 万元, 360/600 = 60 %, 2400/4000 = 60 %: every edge met.
		{"all edges met", baseCand, []string{}, 0, 0, ""},
		{"5,000 万元 band: 4.99 % < 5 %", with(func(c *cand) { c.rd3 = 599; c.rdDom = 599 }), []string{"rd_ratio"}, 1, 0,
			"研发费用占比4.99%，需≥5%，近三年研发费用尚差1.0万元"},
		{"above 5,000 万元: 4.99 % ≥ 4 %", with(func(c *cand) { c.rev1 = 5001; c.rd3 = 599; c.rdDom = 599 }), []string{}, 0, 0, ""},
		{"2 亿元 band: 3.8 % < 4 %", with(func(c *cand) { c.rev1 = 20000; c.rev3 = 50000; c.rd3 = 1900; c.rdDom = 1900; c.htRev = 4000 }),
			[]string{"rd_ratio"}, 100, 0, "研发费用占比3.80%，需≥4%，近三年研发费用尚差100.0万元"},
		{"above 2 亿元: 3.8 % ≥ 3 %", with(func(c *cand) { c.rev1 = 20001; c.rev3 = 50000; c.rd3 = 1900; c.rdDom = 1900; c.htRev = 4000 }), []string{}, 0, 0, ""},
		{"registered 2019-12-31 is one year before 2020's end", with(func(c *cand) { c.founded = "2019-12-31" }), []string{}, 0, 0, ""},
		{"registered 2020-01-01 is not", with(func(c *cand) { c.founded = "2020-01-01" }), []string{"registered_under_1_year"}, 0, 0,
			"注册不满一年（成立于2020-01-01）"},
		{"S&T staff 9 of 100", with(func(c *cand) { c.sci = 9 }), []string{"sci_staff_share"}, 0, 1, "科技人员占比9.0%，需≥10%，尚差1人"},
		{"no IP", with(func(c *cand) { c.ip2 = 0 }), []string{"no_ip"}, 0, 0, "无知识产权"},
		{"domestic R&D 359 of 600", with(func(c *cand) { c.rdDom = 359 }), []string{"domestic_rd_share"}, 0, 0, "境内研发费用占比59.8%，需≥60%，尚差1.0万元"},
		{"high-tech revenue 2399 of 4000", with(func(c *cand) { c.htRev = 2399 }), []string{"hitech_revenue_share"}, 0, 0, "高新技术产品收入占比60.0%，需≥60%，尚差1.0万元"},
		{"two failures", with(func(c *cand) { c.sci = 5; c.ip2 = 0 }), []string{"no_ip", "sci_staff_share"}, 0, 5, "无知识产权；科技人员占比5.0%，需≥10%，尚差5人"},
	}
	var lines []string
	for i, tc := range tests {
		lines = append(lines, tc.c.csv(fmt.Sprintf("C%d", i), code("371302", 100+i), 2020))
	}
	db := warehouseWith(t, map[string][]byte{"pool.csv": candCSV(lines...)})
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var failed []any
			var eligible bool
			var gap float64
			var staffGap int
			var lacks string
			err := db.SQL().QueryRow(`SELECT failed_conditions, hitech_eligible, rd_gap_wan, sci_staff_gap, lacks_zh
				FROM cultivation_candidates WHERE uscc = ?`, code("371302", 100+i)).Scan(&failed, &eligible, &gap, &staffGap, &lacks)
			if err != nil {
				t.Fatal(err)
			}
			gotFailed := []string{}
			for _, f := range failed {
				gotFailed = append(gotFailed, f.(string))
			}
			if d := cmp.Diff(tc.failed, gotFailed); d != "" || eligible != (len(tc.failed) == 0) || gap != tc.rdGap || staffGap != tc.staffGap || lacks != tc.lacks {
				t.Errorf("failed %v eligible %v rd gap %v staff gap %d lacks %q; want %v, gap %v, staff gap %d, %q",
					gotFailed, eligible, gap, staffGap, lacks, tc.failed, tc.rdGap, tc.staffGap, tc.lacks)
			}
		})
	}
}

func TestTechSMEScore(t *testing.T) {
	with := func(f func(*cand)) cand { c := baseCand; f(&c); return c }
	tests := []struct {
		name                   string
		c                      cand
		staffPts, rdPts, ipPts int
		eligible               bool
	}{
		// 10/100 = 10 % → 4; 300/5000 = 6 % → 50; one II类 → 6: 60 points, eligible at the edge.
		{"60 points at the edges", baseCand, 4, 50, 6, true},
		{"R&D 299/5000 = 5.98 % → 40: 50 points", with(func(c *cand) { c.rd1 = 299 }), 4, 40, 6, false},
		{"staff 30 % → 20", with(func(c *cand) { c.sci = 30 }), 20, 50, 6, true},
		{"staff 29 % → 16", with(func(c *cand) { c.sci = 29 }), 16, 50, 6, true},
		{"staff 25 % → 16", with(func(c *cand) { c.sci = 25 }), 16, 50, 6, true},
		{"staff 20 % → 12", with(func(c *cand) { c.sci = 20 }), 12, 50, 6, true},
		{"staff 15 % → 8", with(func(c *cand) { c.sci = 15 }), 8, 50, 6, true},
		{"staff 9 % → 0: not eligible whatever the score", with(func(c *cand) { c.sci = 9; c.ip1 = 1 }), 0, 50, 30, false},
		{"R&D 5 % → 40", with(func(c *cand) { c.rd1 = 250 }), 4, 40, 6, false},
		{"R&D 4 % → 30, I类 → 30", with(func(c *cand) { c.rd1 = 200; c.ip1 = 1 }), 4, 30, 30, true},
		{"R&D 3 % → 20", with(func(c *cand) { c.rd1 = 150; c.ip1 = 1 }), 4, 20, 30, false},
		{"R&D 2 % → 10", with(func(c *cand) { c.rd1 = 100; c.ip1 = 1 }), 4, 10, 30, false},
		{"R&D 1.98 % → 0", with(func(c *cand) { c.rd1 = 99; c.ip1 = 1 }), 4, 0, 30, false},
		{"II类 4 → 24", with(func(c *cand) { c.ip2 = 4 }), 4, 50, 24, true},
		{"II类 3 → 18", with(func(c *cand) { c.ip2 = 3 }), 4, 50, 18, true},
		{"II类 2 → 12", with(func(c *cand) { c.ip2 = 2 }), 4, 50, 12, true},
		{"501 staff (160/501 = 31.9 % → 20)", with(func(c *cand) { c.staff = 501; c.sci = 160 }), 20, 50, 6, false},
		{"revenue 2 亿元 is within", with(func(c *cand) { c.rev1 = 20000; c.rev3 = 50000; c.rd1 = 1200; c.rd3 = 2500; c.rdDom = 2500 }), 4, 50, 6, true},
		{"assets above 2 亿元", with(func(c *cand) { c.assets = 20000.5 }), 4, 50, 6, false},
	}
	var lines []string
	for i, tc := range tests {
		lines = append(lines, tc.c.csv(fmt.Sprintf("S%d", i), code("371302", 200+i), 2020))
	}
	db := warehouseWith(t, map[string][]byte{"pool.csv": candCSV(lines...)})
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s, r, ip, score int
			var eligible bool
			err := db.SQL().QueryRow(`SELECT sme_staff_points, sme_rd_points, sme_ip_points, sme_score, sme_eligible
				FROM cultivation_candidates WHERE uscc = ?`, code("371302", 200+i)).Scan(&s, &r, &ip, &score, &eligible)
			if err != nil {
				t.Fatal(err)
			}
			if s != tc.staffPts || r != tc.rdPts || ip != tc.ipPts || score != s+r+ip || eligible != tc.eligible {
				t.Errorf("points %d+%d+%d = %d, eligible %v; want %d+%d+%d, eligible %v", s, r, ip, score, eligible,
					tc.staffPts, tc.rdPts, tc.ipPts, tc.eligible)
			}
		})
	}
}

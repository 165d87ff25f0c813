package registers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHitechOutlook(t *testing.T) {
	files := flowsFixture()
	c7, c8, c9 := code("371302", 7), code("371302", 8), code("371302", 9)
	fail := baseCand
	fail.ip2 = 0
	files["pool.csv"] = candCSV(
		// 2019: three eligible candidates without a certificate at the start of 2019; E2 was recognised that year.
		baseCand.csv("E2", code("371302", 2), 2019), baseCand.csv("C7", c7, 2019), baseCand.csv("C9", c9, 2019),
		// 2020: C7 and C9 still eligible, C8 lacks IP.
		baseCand.csv("C7", c7, 2020), baseCand.csv("C9", c9, 2020), fail.csv("C8", c8, 2020),
	)
	db := warehouseWith(t, files)
	type row struct {
		Region              string
		Base, Now, Expiring int
		RenewalRate         float64
		Renewals, Ready     int
		RecognitionRate     float64
		New, End, Net       int
	}
	rows, err := db.SQL().Query(`SELECT region_code, base_valid, valid_now, expiring, renewal_rate, expected_renewals,
		ready_candidates, recognition_rate, expected_new, expected_valid_end, expected_net
		FROM hitech_outlook WHERE year = 2020 AND as_of_month = 10 AND region_code IN ('371300', '371302') ORDER BY region_code`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.Region, &r.Base, &r.Now, &r.Expiring, &r.RenewalRate, &r.Renewals, &r.Ready, &r.RecognitionRate, &r.New, &r.End, &r.Net); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	// At 2020-10-31: 兰山 holds E1, E2, E4, E6 (4); E1 (ends 2020-11-20) and E4 (2020-12-05) expire
	// before 31 December with no renewal yet (2). Renewal rate 2017–2019 at city level: renewed 1+0+1,
	// expired 0+1+0 → 2/3; 2 × 2/3 = 1.33 → 1. Recognition rate: of 2019's 3 eligible, E2 got a
	// certificate → 1/3; ready now C7, C9 → 2/3 → 1. Expected 4 − 2 + 1 + 1 = 4, base 4, net 0.
	// The city adds E5 in 罗庄: 5 − 2 + 1 + 1 = 5 against a base of 5.
	want := []row{
		{"371300", 5, 5, 2, 0.6667, 1, 2, 0.3333, 1, 5, 0},
		{"371302", 4, 4, 2, 0.6667, 1, 2, 0.3333, 1, 4, 0},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("outlook (-want +got):\n%s", d)
	}
}

func TestPlatformCounts(t *testing.T) {
	lan, luo := code("371302", 50), code("371311", 51)
	db := warehouseWith(t, map[string][]byte{"platforms.csv": platCSV(
		"P1实验室,重点实验室,省级,甲,"+lan+",兰山区,2019-05-01,",
		"P2中心,工程技术研究中心,国家级,甲,"+lan+",兰山区,2020-03-01,",
		"P3中心,企业技术中心,市级,甲,"+lan+",兰山区,2020-04-01,",
		"P4孵化器,科技企业孵化器,省级,乙,"+luo+",罗庄区,2020-09-15,",
		"P5空间,众创空间,省级,乙,"+luo+",罗庄区,2018-06-01,2020-02-01",
	)})
	type ytd struct {
		Period, Indicator string
		New, Active       int
	}
	rows, err := db.SQL().Query(`SELECT period, indicator, new_ytd, active_end FROM platform_new_ytd
		WHERE region_code = '371300' AND period IN ('2020-08', '2020-12') ORDER BY period, indicator`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []ytd
	for rows.Next() {
		var r ytd
		if err := rows.Scan(&r.Period, &r.Indicator, &r.New, &r.Active); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	// Provincial or higher only: P3 (市级) never counts; P5 was revoked on 2020-02-01; P4 arrives 2020-09-15.
	want := []ytd{
		{"2020-08", "incubators", 0, 0},
		{"2020-08", "platforms", 1, 2},
		{"2020-12", "incubators", 1, 1},
		{"2020-12", "platforms", 1, 2},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("platform_new_ytd (-want +got):\n%s", d)
	}
	var active, newIn, revoked int
	if err := db.SQL().QueryRow(`SELECT sum(active_end), sum(new_in_year), sum(revoked_in_year) FROM platform_counts
		WHERE region_code = '371300' AND year = 2020`).Scan(&active, &newIn, &revoked); err != nil {
		t.Fatal(err)
	}
	// All levels: active P1 P2 P3 P4 = 4; new P2 P3 P4 = 3; revoked P5 = 1.
	if active != 4 || newIn != 3 || revoked != 1 {
		t.Errorf("platform_counts 2020: active %d new %d revoked %d, want 4 3 1", active, newIn, revoked)
	}
}

package models_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// registerModels are the models over the rosters (docs/REGISTERS.md), built
// with the others.
var registerModels = []string{"hitech_enterprise_status", "hitech_enterprise_flows_monthly", "hitech_enterprise_flows",
	"hitech_outlook", "hitech_reconciliation", "cultivation_candidates", "platform_counts", "platform_new_ytd"}

// A county-level unit directly under its province (济源, 419001, under 河南)
// has no city: it rolls up into the province's row only. Taking the
// province for its city gave 410000 two rows a month (the city branch with
// 济源 alone, the province branch without it), which register_flows
// refused on the national rosters.
func TestFlowsOfAUnitUnderItsProvince(t *testing.T) {
	db := warehouse(t, "compare")
	// One certificate in a county of each of 河南's current cities (the
	// province is then complete) and one in 济源, all issued 2018-06-01;
	// one in 济源 issued 2015-01-01 (expired 2018-01-01) opens the history.
	exec(t, db, `INSERT INTO hitech_certificates (name, uscc, region_code, cert_no, issued_on, source_row, load_id)
		SELECT 'e' || code, 'U' || code, code, 'C' || code, DATE '2018-06-01', 1, 1
		FROM (SELECT min(k.code) AS code FROM regions c JOIN regions k ON k.parent_code = c.code AND k.level = 'county'
		      WHERE c.parent_code = '410000' AND c.level = 'city' AND c.valid_to IS NULL GROUP BY c.code
		      UNION ALL SELECT '419001')`,
		`INSERT INTO hitech_certificates (name, uscc, region_code, cert_no, issued_on, source_row, load_id)
		VALUES ('old', 'UOLD', '419001', 'COLD', DATE '2015-01-01', 1, 1)`)
	var cities int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM regions WHERE parent_code = '410000' AND level = 'city' AND valid_to IS NULL`).Scan(&cities); err != nil {
		t.Fatal(err)
	}
	build(t, db) // register_flows among the data tests
	if got := rows(t, db, `SELECT region_code, period, count(*) FROM hitech_enterprise_flows_monthly GROUP BY ALL HAVING count(*) > 1`); got != nil {
		t.Errorf("more than one row for %v", got)
	}
	want := [][]any{{"410000", "province", cities + 1}, {"419001", "county", 1}}
	if diff := cmp.Diff(want, rows(t, db, `SELECT region_code, level, valid_end FROM hitech_enterprise_flows_monthly
		WHERE period = '2018-12' AND region_code IN ('410000', '419001') ORDER BY region_code`)); diff != "" {
		t.Errorf("河南 and 济源 at the end of 2018, valid certificates (-want +got):\n%s", diff)
	}
}

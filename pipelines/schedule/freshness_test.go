package schedule

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch/internal/duckdb"
)

func TestFreshnessExpected(t *testing.T) {
	monthly := FreshnessRule{Indicator: "hitech_output", DueDay: 20, SkipMonths: []int{1}}
	endOfMonth := FreshnessRule{Indicator: "hitech_output", DueDay: 31}
	annual := FreshnessRule{Indicator: "rd_expenditure", DueDate: "10-31"}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, shanghai) }
	tests := []struct {
		rule       FreshnessRule
		on         time.Time
		wantPeriod string
		wantDue    string
	}{
		{monthly, day(2026, 3, 20), "2026-02", "2026-03-20"},
		{monthly, day(2026, 3, 19), "2025-12", "2026-01-20"}, // February not yet due; January never alone
		{monthly, day(2026, 2, 25), "2025-12", "2026-01-20"}, // January is skipped
		{monthly, day(2026, 1, 5), "2025-11", "2025-12-20"},
		{monthly, day(2026, 1, 20), "2025-12", "2026-01-20"},
		{endOfMonth, day(2026, 2, 28), "2026-01", "2026-02-28"}, // day 31 of February is its last day
		{endOfMonth, day(2026, 2, 27), "2025-12", "2026-01-31"},
		{annual, day(2026, 10, 30), "2024", "2025-10-31"},
		{annual, day(2026, 10, 31), "2025", "2026-10-31"},
	}
	for _, tt := range tests {
		p, due := tt.rule.Expected(tt.on)
		if p.String() != tt.wantPeriod || due.Format(time.DateOnly) != tt.wantDue {
			t.Errorf("%+v on %s: got %s due %s, want %s due %s", tt.rule, tt.on.Format(time.DateOnly),
				p, due.Format(time.DateOnly), tt.wantPeriod, tt.wantDue)
		}
	}
}

// testWarehouse is a migrated warehouse with the given facts
// (region, period, indicator, value; nil = reported missing).
func testWarehouse(t *testing.T, facts [][4]any) *duckdb.DB {
	t.Helper()
	ctx := context.Background()
	db, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(conn *sql.Conn) error {
		for _, f := range facts {
			if _, err := conn.ExecContext(ctx, `INSERT INTO facts (region_code, period, indicator, value, status, vintage,
				source, load_id, loaded_at) VALUES (?, ?, ?, ?, 'provisional', 1, 'test.csv', 1, now())`, f[0], f[1], f[2], f[3]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestCheckFreshness(t *testing.T) {
	ctx := context.Background()
	db := testWarehouse(t, [][4]any{
		{"371300", "2026-02", "hitech_output", 120.5},
		{"371300", "2026", "hitech_output", 900.0}, // an annual row does not stand in for a month
		{"371300", "2026-03", "industrial_output", 300.0},
		{"371300", "2025", "rd_expenditure", 60.2},
		{"370000", "2024", "rd_expenditure", 2100.0},
		{"370000", "2025", "rd_expenditure", nil}, // reported as missing
	})
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rules := []FreshnessRule{
		{Indicator: "hitech_output", DueDay: 20, Regions: []string{"371300", "371302"}},
		{Indicator: "industrial_output", DueDay: 20, Regions: []string{"371300"}}, // a later month arrived
		{Indicator: "tech_contract_turnover", DueDay: 25},
		{Indicator: "rd_expenditure", DueDate: "10-31", Regions: []string{"370000", "371300"}},
	}
	got, err := CheckFreshness(ctx, db.SQL(), cat, rules, time.Date(2026, 3, 26, 2, 0, 0, 0, time.UTC), shanghai)
	if err != nil {
		t.Fatal(err)
	}
	want := []Stale{
		{Indicator: "hitech_output", Period: "2026-02", Due: "2026-03-20", Missing: []string{"371302"},
			Message: "高新技术产业产值 (hitech_output) for 2026-02 was due on 2026-03-20 and has not arrived: missing for 371302"},
		{Indicator: "tech_contract_turnover", Period: "2026-02", Due: "2026-03-25",
			Message: "技术合同成交额 (tech_contract_turnover) for 2026-02 was due on 2026-03-25 and has not arrived: no region has reported it"},
	}
	// On 26 March 2026 rd_expenditure 2024 is the one due (2025 is due on
	// 31 October 2026): the province has it, and the city's 2025 covers it.
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stale (-want +got):\n%s", diff)
	}

	// In November, 2025 is due: the province reported it missing.
	got, err = CheckFreshness(ctx, db.SQL(), cat, rules[3:], time.Date(2026, 11, 1, 2, 0, 0, 0, shanghai), shanghai)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Period != "2025" || !cmp.Equal(got[0].Missing, []string{"370000"}) {
		t.Errorf("rd_expenditure in November: %+v, want 2025 missing for 370000", got)
	}

	for _, bad := range []FreshnessRule{
		{Indicator: "rd_expenditure", DueDay: 20},
		{Indicator: "no_such_indicator", DueDay: 20},
	} {
		if _, err := CheckFreshness(ctx, db.SQL(), cat, []FreshnessRule{bad}, time.Now(), shanghai); err == nil {
			t.Errorf("%+v: no error", bad)
		} else if bad.Indicator == "rd_expenditure" && !strings.Contains(err.Error(), "the catalog says it is annual; use due_date") {
			t.Errorf("frequency mismatch: %v", err)
		}
	}
}

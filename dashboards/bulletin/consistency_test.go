package bulletin

import (
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards"
)

// Issue 14, item 1: the December bulletin reported 2019's R&D intensity
// (1.90%, 第8位, 前移1位) and "待年度统计数据发布后评价" for the R&D target
// while the dashboard, from the same warehouse, showed 2020: 2.10%, 第9位
// ↓1, 未达标. For the latest month, the bulletin's figures must be the
// dashboard's own, read from the site the dashboard renders (its CSV files,
// which hold the rows as shown): value, rank, rank change for every
// headline indicator, and the as-of period and status of every target.
func TestBulletinAgreesWithDashboard(t *testing.T) {
	db := sampleWarehouse(t)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "site")
	if _, err := dashboards.Render(ctx, db.SQL(), out, dashboards.Options{Now: fixedNow, RequireAllMarts: true}); err != nil {
		t.Fatalf("render the site: %v", err)
	}
	latest, err := LatestMonth(ctx, db.SQL())
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(ctx, db.SQL(), latest)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sections) == 0 || len(d.Targets) == 0 {
		t.Fatalf("bulletin %s has %d sections and %d targets", latest, len(d.Sections), len(d.Targets))
	}
	for _, s := range d.Sections {
		league := readCSV(t, filepath.Join(out, "index-league-"+s.Indicator.Code+".csv"))
		var row []string
		for _, r := range league[1:] {
			if r[1] == d.CityName {
				row = r
			}
		}
		if row == nil || s.City == nil {
			t.Errorf("%s: the dashboard's league has %v, the bulletin's city row is %v", s.Indicator.Code, row, s.City)
			continue
		}
		// Columns: 位次, 城市, 数值, 位次变化, 梯队, 距第一梯队, 说明.
		got := []string{fixed(s.City.Value.Float64, s.City.Decimals), nullInt(s.City.Rank), nullInt(s.City.RankChange)}
		want := []string{row[2], row[0], row[3]}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: bulletin (period %s) value|rank|change = %v, dashboard = %v", s.Indicator.Code, s.Period, got, want)
		}
	}

	// The targets page: 目标, 指标, 进度截至, …, 状态.
	progress := readCSV(t, filepath.Join(out, "targets-progress.csv"))
	status := map[string][2]string{}
	for _, r := range progress[1:] {
		status[r[0]] = [2]string{r[2], r[10]}
	}
	for _, tg := range d.Targets {
		dash, ok := status[tg.Description]
		if !ok {
			t.Errorf("target %q is not on the dashboard", tg.Description)
			continue
		}
		got := [2]string{tg.AsOf, dashboardStatus[tg.Status]}
		if tg.Status == "" {
			got[1] = "(not judged)"
		}
		if got != dash {
			t.Errorf("target %q: bulletin as-of|status = %v, dashboard = %v", tg.Description, got, dash)
		}
	}
}

// dashboardStatus is how the dashboard marks each status of target_progress.
var dashboardStatus = map[string]string{
	StatusMet:      "✓ 已完成",
	StatusAhead:    "▲ 快于序时",
	StatusOnPace:   "● 与序时持平",
	StatusBehind:   "▼ 慢于序时",
	StatusNotMet:   "▼ 未达标",
	StatusOnTrack:  "▲ 同比已达目标幅度",
	StatusOffTrack: "▼ 同比未达目标幅度",
	StatusMissing:  "— 缺数",
}

// For every month with data the bulletin states each headline indicator
// at the period a report on that month states it (ReportYear for annual
// figures: the year itself in December) and each target at the
// dashboard's as-of for that month, with the marts' value, rank, change
// and status: one source of truth, no second reading of the marts.
func TestBulletinEveryMonthFromTheMarts(t *testing.T) {
	db := sampleWarehouse(t)
	ctx := context.Background()
	for m := 1; m <= 12; m++ {
		month := innowatch.Period{Year: 2020, Month: m}
		d, err := Load(ctx, db.SQL(), month)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range d.Sections {
			want := month
			if s.Indicator.Annual {
				var y sql.NullInt64
				if err := db.SQL().QueryRow(`SELECT max(year) FROM county_vs_province WHERE region_code = ? AND indicator = ?
					AND month IS NULL AND value IS NOT NULL AND year <= ?`, d.CityCode, s.Indicator.Code, dashboards.ReportYear(month)).Scan(&y); err != nil {
					t.Fatal(err)
				}
				want = innowatch.Period{Year: int(y.Int64)}
			}
			if s.Period != want {
				t.Errorf("%s %s: bulletin states %s, want %s", month, s.Indicator.Code, s.Period, want)
			}
			var v sql.NullFloat64
			var rank, change sql.NullInt64
			if err := db.SQL().QueryRow(`SELECT value, rank, rank_change FROM county_vs_province WHERE region_code = ? AND indicator = ? AND period = ?`,
				d.CityCode, s.Indicator.Code, want.String()).Scan(&v, &rank, &change); err != nil {
				t.Fatalf("%s %s %s: %v", month, s.Indicator.Code, want, err)
			}
			if s.City == nil || s.City.Value != v || s.City.Rank != rank || s.City.RankChange != change {
				t.Errorf("%s %s: bulletin city %+v, mart value %v rank %v change %v", month, s.Indicator.Code, s.City, v, rank, change)
			}
		}
		for _, tg := range d.Targets {
			asOf := month.String()
			if tg.Annual {
				asOf = ""
				if m == 12 {
					asOf = strconv.Itoa(month.Year)
				}
			}
			var st sql.NullString
			err := db.SQL().QueryRow(`SELECT status FROM target_progress WHERE region_code = ? AND year = ? AND indicator = ? AND target_kind = ? AND as_of_period = ?`,
				d.CityCode, month.Year, tg.Indicator, tg.Kind, asOf).Scan(&st)
			if err != nil && err != sql.ErrNoRows {
				t.Fatal(err)
			}
			if tg.Status != st.String {
				t.Errorf("%s target %s/%s: bulletin status %q, target_progress at %q: %q", month, tg.Indicator, tg.Kind, tg.Status, asOf, st.String)
			}
		}
	}
}

func nullInt(v sql.NullInt64) string {
	if !v.Valid {
		return ""
	}
	return strconv.FormatInt(v.Int64, 10)
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

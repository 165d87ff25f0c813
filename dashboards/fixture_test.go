package dashboards

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// The fixture stands in for the warehouse: county_vs_province as a plain
// table with the view's columns, and facts with the columns the page reads.
const fixtureSchema = `
CREATE TABLE county_vs_province (
    region_code VARCHAR, region_name VARCHAR, level VARCHAR, period VARCHAR, indicator VARCHAR,
    value DOUBLE, province_value DOUBLE, gap DOUBLE, index_vs_province DOUBLE,
    rank INTEGER, peer_count INTEGER, comparison_basis VARCHAR, unit VARCHAR, decimals INTEGER,
    missing_reason VARCHAR);
CREATE TABLE facts (region_code VARCHAR, period VARCHAR, indicator VARCHAR, value DOUBLE,
    source VARCHAR, loaded_at TIMESTAMPTZ);
`

// cvpRow is one hand-made row of county_vs_province. A nil Value is missing.
type cvpRow struct {
	Code, Name, Level, Period, Indicator string
	Value, Province                      *float64
	Rank, Peers                          *int
	Reason                               string
}

func f(v float64) *float64 { return &v }
func n(v int) *int         { return &v }

const basisRatio = "比值指标：与全省强度直接比较"

// linyi2020 is R&D intensity for 2020 (made-up county figures; the
// provincial 2.30% is the published one), ranked as the view ranks them.
func linyi2020() []cvpRow {
	p := f(2.30)
	rows := []cvpRow{
		{"371300", "临沂市", "city", "2020", "rd_intensity", f(2.14), p, nil, nil, ""},
		{"371371", "临沂高新技术产业开发区", "zone", "2020", "rd_intensity", f(4.86), p, n(1), n(13), ""},
		{"371312", "河东区", "county", "2020", "rd_intensity", f(2.62), p, n(2), n(13), ""},
		{"371302", "兰山区", "county", "2020", "rd_intensity", f(2.41), p, n(3), n(13), ""},
		{"371329", "临沭县", "county", "2020", "rd_intensity", f(2.33), p, n(4), n(13), ""},
		{"371323", "沂水县", "county", "2020", "rd_intensity", f(2.18), p, n(5), n(13), ""},
		{"371311", "罗庄区", "county", "2020", "rd_intensity", f(2.05), p, n(6), n(13), ""},
		{"371327", "莒南县", "county", "2020", "rd_intensity", f(1.95), p, n(7), n(13), ""},
		{"371325", "费县", "county", "2020", "rd_intensity", f(1.75), p, n(8), n(13), ""},
		{"371326", "平邑县", "county", "2020", "rd_intensity", f(1.52), p, n(9), n(13), ""},
		{"371321", "沂南县", "county", "2020", "rd_intensity", f(1.48), p, n(10), n(13), ""},
		{"371322", "郯城县", "county", "2020", "rd_intensity", f(1.36), p, n(11), n(13), ""},
		{"371324", "兰陵县", "county", "2020", "rd_intensity", f(1.21), p, n(12), n(13), ""},
		{"371328", "蒙阴县", "county", "2020", "rd_intensity", f(1.12), p, n(13), n(13), ""},
		{"371372", "临沂经济技术开发区", "zone", "2020", "rd_intensity", nil, p, nil, n(13), "2020年起不再单列统计"},
	}
	// Distractors the page must ignore: an earlier year, a later year
	// with nothing reported yet, and a monthly indicator.
	rows = append(rows,
		cvpRow{"371302", "兰山区", "county", "2019", "rd_intensity", f(2.20), f(2.10), n(1), n(1), ""},
		cvpRow{"371302", "兰山区", "county", "2021", "rd_intensity", nil, nil, nil, nil, "尚未发布"},
		cvpRow{"371302", "兰山区", "county", "2020-10", "hitech_output_share", f(45.6), f(46.8), n(3), n(13), ""},
	)
	return rows
}

// newFixtureDB writes rows into a fresh DuckDB file. sample says whether a
// fact comes from a "sample:" source.
func newFixtureDB(t *testing.T, rows []cvpRow, sample bool) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", filepath.Join(t.TempDir(), "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, fixtureSchema); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		var gap, index *float64
		if r.Value != nil && r.Province != nil {
			gap, index = f(*r.Value-*r.Province), f(*r.Value / *r.Province * 100)
		}
		var reason *string
		if r.Reason != "" {
			reason = &r.Reason
		}
		_, err := db.ExecContext(ctx, `INSERT INTO county_vs_province VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Code, r.Name, r.Level, r.Period, r.Indicator, r.Value, r.Province, gap, index,
			r.Rank, r.Peers, basisRatio, "%", 2, reason)
		if err != nil {
			t.Fatal(err)
		}
	}
	source := "county-reports/2020-rd.xlsx"
	if sample {
		source = "sample:linyi-2020"
	}
	facts := []struct {
		source string
		at     time.Time
	}{
		{"county-reports/2019-rd.xlsx", time.Date(2020, 3, 2, 1, 0, 0, 0, time.UTC)},
		{source, time.Date(2021, 3, 15, 2, 30, 0, 0, time.UTC)}, // 10:30 in Beijing
	}
	for _, fa := range facts {
		if _, err := db.ExecContext(ctx, `INSERT INTO facts VALUES ('371302', '2020', 'rd_expenditure', 1.0, ?, ?)`, fa.source, fa.at); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// fixedNow is the clock of every test render.
func fixedNow() time.Time { return time.Date(2021, 3, 16, 0, 5, 0, 0, time.UTC) }

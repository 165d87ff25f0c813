package models_test

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// warehouse opens a migrated temp warehouse loaded with testdata/<name>/facts.csv
// and, when present, testdata/<name>/targets.csv.
func warehouse(t *testing.T, name string) *duckdb.DB {
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
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l := &pipelines.Loader{DB: db, Now: time.Now}
	for i, file := range []string{"facts.csv", "targets.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", name, file))
		if os.IsNotExist(err) && file != "facts.csv" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		b := pipelines.ReadCSV(file, data, cat)
		res, err := l.Load(ctx, int64(i+1), b)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != pipelines.Loaded {
			t.Fatalf("load testdata/%s/%s: %s %v", name, file, res.Status, res.Problems)
		}
	}
	return db
}

// embedded returns the product's models and data tests.
func embedded(t testing.TB) ([]*models.Model, []*models.DataTest) {
	t.Helper()
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		t.Fatal(err)
	}
	ts, err := models.LoadTests(sqlfiles.Tests, "tests")
	if err != nil {
		t.Fatal(err)
	}
	return ms, ts
}

// build builds the product's models and runs its data tests, which must
// pass on every fixture.
func build(t *testing.T, db *duckdb.DB) models.Result {
	t.Helper()
	ms, ts := embedded(t)
	res, err := (&models.Builder{DB: db, Models: ms, Tests: ts}).Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Tests {
		if !r.Passed() {
			t.Errorf("data test %s on the fixture:\n%s", r.Name, r.Report())
		}
	}
	return res
}

// rows runs q and returns its rows with floats rounded to 1e-6, integers as
// int and NULL as nil, ready for cmp.Diff against hand-computed literals.
func rows(t *testing.T, db *duckdb.DB, q string, args ...any) [][]any {
	t.Helper()
	rs, err := db.SQL().Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out [][]any
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			switch x := v.(type) {
			case float64:
				vals[i] = math.Round(x*1e6) / 1e6
			case int32:
				vals[i] = int(x)
			case int64:
				vals[i] = int(x)
			}
		}
		out = append(out, vals)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// r6 rounds like rows does, for expectations written as expressions.
func r6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

type cmpRow struct {
	Region     string
	Value      *float64
	Province   *float64
	Gap        *float64
	Index      *float64
	Rank       *int
	Peers      int
	Above      *bool
	MissingWhy string
}

func queryCompare(t *testing.T, db *sql.DB, indicator, period string) map[string]cmpRow {
	t.Helper()
	rows, err := db.Query(`SELECT region_code, value, province_value, gap, index_vs_province, rank, peer_count, above_province, coalesce(missing_reason, '')
		FROM county_vs_province WHERE indicator = ? AND period = ?`, indicator, period)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]cmpRow{}
	for rows.Next() {
		var r cmpRow
		var v, p, g, i sql.NullFloat64
		var rank sql.NullInt64
		var above sql.NullBool
		if err := rows.Scan(&r.Region, &v, &p, &g, &i, &rank, &r.Peers, &above, &r.MissingWhy); err != nil {
			t.Fatal(err)
		}
		r.Value, r.Province, r.Gap, r.Index = fp(v), fp(p), fp(g), fp(i)
		if rank.Valid {
			n := int(rank.Int64)
			r.Rank = &n
		}
		if above.Valid {
			r.Above = &above.Bool
		}
		out[r.Region] = r
	}
	return out
}

func fp(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	x := math.Round(v.Float64*1e6) / 1e6
	return &x
}

func f(x float64) *float64 { return &x }
func i(x int) *int         { return &x }
func b(x bool) *bool       { return &x }

// Every expected number below is worked out by hand from
// testdata/compare/facts.csv.
func TestCountyVsProvinceRatio(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	got := queryCompare(t, db.SQL(), "rd_intensity", "2020")
	// Province: 100 / 5000 × 100 = 2.0 %, recomputed from its parts.
	want := map[string]cmpRow{
		// 兰山: 30000 万元 = 3 亿元; 3/100×100 = 3.0; gap +1.0 pt; index 150; 2nd after the zone.
		"371302": {Region: "371302", Value: f(3), Province: f(2), Gap: f(1), Index: f(150), Rank: i(2), Peers: 4, Above: b(true)},
		// 罗庄 2/100 = 2.0 and 河东 1/50 = 2.0 tie: both 3rd (1, 2, 3, 3).
		"371311": {Region: "371311", Value: f(2), Province: f(2), Gap: f(0), Index: f(100), Rank: i(3), Peers: 4, Above: b(false)},
		"371312": {Region: "371312", Value: f(2), Province: f(2), Gap: f(0), Index: f(100), Rank: i(3), Peers: 4, Above: b(false)},
		// 沂南: R&D not reported: missing, unranked, never 0.
		"371321": {Region: "371321", Province: f(2), Peers: 4, MissingWhy: "R&D经费内部支出暂缺；沂南县未报送"},
		// 高新区: 1.5/30 = 5.0; gap 3; index 250; 1st.
		"371371": {Region: "371371", Value: f(5), Province: f(2), Gap: f(3), Index: f(250), Rank: i(1), Peers: 4, Above: b(true)},
		// The city: 10/400 = 2.5 %, ranked among cities: 济南 3.0, 临沂 2.5, 青岛 2.0.
		"371300": {Region: "371300", Value: f(2.5), Province: f(2), Gap: f(0.5), Index: f(125), Rank: i(2), Peers: 3, Above: b(true)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("county_vs_province rd_intensity 2020 (-want +got):\n%s", diff)
	}
}

func TestCountyVsProvincePerUnit(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	got := queryCompare(t, db.SQL(), "rd_expenditure", "2020")
	// Counties compare with the province total over its 136 county-level
	// units: 100/136 = 0.735294…; the city with 100/16 = 6.25.
	perCounty := math.Round(100.0/136*1e6) / 1e6
	if r := got["371302"]; r.Province == nil || *r.Province != perCounty {
		t.Errorf("兰山 province_value = %v, want %v", r.Province, perCounty)
	}
	if r := got["371302"]; r.Index == nil || math.Abs(*r.Index-408) > 1e-6 {
		t.Errorf("兰山 index = %v, want 3/(100/136)×100 = 408", r.Index)
	}
	if r := got["371300"]; r.Province == nil || *r.Province != 6.25 || *r.Gap != 3.75 || *r.Index != 160 {
		t.Errorf("临沂 = %+v, want province 6.25, gap 3.75, index 160", r)
	}
}

func TestOrderFindsDependenciesAndCycles(t *testing.T) {
	fsys := fstest.MapFS{
		"m/a.sql": {Data: []byte("-- materialized: table\nSELECT * FROM b JOIN c USING (x)")},
		"m/b.sql": {Data: []byte("SELECT * FROM c -- not a, which is only in a comment")},
		"m/c.sql": {Data: []byte("SELECT 'a' AS x /* nor here: a */")},
		// A quoted identifier is a mention (its name is a model's).
		"m/d.sql": {Data: []byte(`SELECT * FROM "C"`)},
	}
	ms, err := models.Load(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	ordered, err := models.Order(ms)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ordered {
		names = append(names, m.Name)
	}
	if diff := cmp.Diff([]string{"c", "b", "a", "d"}, names); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	fsys["m/c.sql"] = &fstest.MapFile{Data: []byte("SELECT * FROM a")}
	ms, err = models.Load(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	_, err = models.Order(ms)
	if err == nil || !strings.Contains(err.Error(), "m/a.sql") || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("cycle error = %v, want one naming m/a.sql", err)
	}
}

func TestFailedBuildKeepsPreviousMarts(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		t.Fatal(err)
	}
	broken := &models.Model{Name: "zz_broken", File: "models/zz_broken.sql", Materialized: models.Table,
		SQL: "SELECT * FROM county_vs_province WHERE no_such_column = 1", Deps: []string{"county_vs_province"}}
	_, err = (&models.Builder{DB: db, Models: append(ms, broken), FullRefresh: true}).Build(context.Background())
	if err == nil || !strings.Contains(err.Error(), "zz_broken") {
		t.Fatalf("build error = %v, want one naming zz_broken", err)
	}
	var n int
	if err := db.SQL().QueryRow("SELECT count(*) FROM county_vs_province").Scan(&n); err != nil || n == 0 {
		t.Errorf("after a failed build county_vs_province has %d rows (err %v), want the previous build's", n, err)
	}
	if got := rows(t, db, "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%staging'"); len(got) != 0 {
		t.Errorf("after a failed build staging tables %v remain", got)
	}
}

package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines"
)

// statuses maps each model to "status reason".
func statuses(res models.Result) map[string]string {
	out := map[string]string{}
	for _, m := range res.Models {
		out[m.Name] = m.Status + " " + m.Reason
	}
	return out
}

func buildWith(t *testing.T, db *duckdb.DB, b models.Builder) (models.Result, error) {
	t.Helper()
	ms, ts := embedded(t)
	b.DB, b.Models, b.Tests = db, ms, ts
	return b.Build(context.Background())
}

func TestIncrementalBuild(t *testing.T) {
	db := warehouse(t, "compare")
	ctx := context.Background()
	all := func(s string) map[string]string {
		m := map[string]string{"facts_latest": s, "indicator_values": s, "county_vs_province": s, "city_ranking": s,
			"target_progress": s, "innovation_index_components": s, "innovation_index": s, "monthly_values": s}
		for _, r := range registerModels {
			m[r] = s
		}
		return m
	}
	steps := []struct {
		name   string
		change string // SQL run before the build
		opt    models.Builder
		want   map[string]string
		// testsSkipped: the data tests passed on exactly this state already.
		testsSkipped bool
		// unchanged: the tests not rerun because nothing they read changed
		// (checked when set).
		unchanged []string
	}{
		{name: "first build", want: all("built new")},
		{name: "nothing changed", want: all("skipped unchanged"), testsSkipped: true},
		{name: "full refresh", opt: models.Builder{FullRefresh: true}, want: all("built full refresh")},
		{name: "a table neither models nor tests read changed", change: "INSERT INTO runs (kind, status, started_at) VALUES ('x', 'succeeded', now())",
			want: all("skipped unchanged"), testsSkipped: true},
		{
			name:   "a tier cut-off changed: only the model reading tier_cutoffs",
			change: "UPDATE tier_cutoffs SET max_rank = 2 WHERE tier = 1",
			want: func() map[string]string {
				w := all("skipped unchanged")
				w["city_ranking"] = "built changed"
				return w
			}(),
			// Only the tests reading city_ranking, tier_cutoffs or the
			// model states run again.
			unchanged: []string{"parts_not_above_whole", "ratio_equals_parts", "register_flows", "shares_within_0_100", "ytd_non_decreasing"},
		},
		{
			name:   "an index parameter changed: the components and the index",
			change: "UPDATE index_parameters SET weight = 2 WHERE indicator = 'rd_intensity'",
			want: func() map[string]string {
				w := all("skipped unchanged")
				w["innovation_index_components"] = "built changed"
				w["innovation_index"] = "built changed"
				return w
			}(),
			unchanged: []string{"parts_not_above_whole", "ratio_equals_parts", "register_flows", "shares_within_0_100", "ytd_non_decreasing"},
		},
		{
			name:   "a fact changed: everything downstream of facts",
			change: "UPDATE facts SET value = 31 WHERE region_code = '370100' AND period = '2020' AND indicator = 'rd_expenditure'",
			want: func() map[string]string {
				w := all("built changed")
				for _, r := range registerModels { // they read the rosters; only the reconciliation reads the facts
					w[r] = "skipped unchanged"
				}
				w["hitech_reconciliation"] = "built changed"
				return w
			}(),
		},
		{
			name: "select a model and its dependents",
			opt:  models.Builder{Select: []string{"innovation_index_components+"}},
			want: func() map[string]string {
				w := all("skipped not selected")
				w["innovation_index_components"] = "built selected"
				w["innovation_index"] = "built selected"
				return w
			}(),
		},
		{
			name: "select a model and its upstream",
			opt:  models.Builder{Select: []string{"+county_vs_province"}},
			want: func() map[string]string {
				w := all("skipped not selected")
				for _, m := range []string{"facts_latest", "indicator_values", "county_vs_province"} {
					w[m] = "built selected"
				}
				return w
			}(),
		},
	}
	for _, s := range steps {
		if s.change != "" {
			if _, err := db.SQL().ExecContext(ctx, s.change); err != nil {
				t.Fatal(err)
			}
		}
		res, err := buildWith(t, db, s.opt)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if diff := cmp.Diff(s.want, statuses(res)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", s.name, diff)
		}
		if res.TestsSkipped != s.testsSkipped || (!s.testsSkipped && len(res.Tests) == 0) {
			t.Errorf("%s: tests skipped = %v (%d run), want skipped = %v", s.name, res.TestsSkipped, len(res.Tests), s.testsSkipped)
		}
		if s.unchanged != nil {
			if diff := cmp.Diff(s.unchanged, res.TestsUnchanged); diff != "" {
				t.Errorf("%s: tests not rerun (-want +got):\n%s", s.name, diff)
			}
		}
	}
}

// A model built by --select against a stale upstream is rebuilt once the
// upstream catches up: each model records the state its inputs had.
func TestSelectAgainstStaleUpstream(t *testing.T) {
	db := warehouse(t, "compare")
	ctx := context.Background()
	if _, err := buildWith(t, db, models.Builder{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, "UPDATE facts SET value = 40 WHERE region_code = '370100' AND period = '2020' AND indicator = 'rd_expenditure'"); err != nil {
		t.Fatal(err)
	}
	res, err := buildWith(t, db, models.Builder{Select: []string{"city_ranking"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(res)["city_ranking"]; got != "built selected" {
		t.Fatalf("city_ranking %q, want built selected", got)
	}
	// city_ranking still shows the old 济南 value: indicator_values was not rebuilt.
	if got := rows(t, db, "SELECT value FROM city_ranking WHERE region_code = '370100' AND period = '2020' AND indicator = 'rd_expenditure'"); !cmp.Equal(got, [][]any{{30.0}}) {
		t.Errorf("济南 after select = %v, want the old 30", got)
	}
	res, err = buildWith(t, db, models.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"indicator_values", "city_ranking"} {
		if got := statuses(res)[m]; got != "built changed" {
			t.Errorf("%s %q, want built changed", m, got)
		}
	}
	if got := rows(t, db, "SELECT value FROM city_ranking WHERE region_code = '370100' AND period = '2020' AND indicator = 'rd_expenditure'"); !cmp.Equal(got, [][]any{{40.0}}) {
		t.Errorf("济南 after catching up = %v, want 40", got)
	}
}

func TestSelectUnknownModel(t *testing.T) {
	db := warehouse(t, "compare")
	_, err := buildWith(t, db, models.Builder{Select: []string{"county_vs_provinces+"}})
	if err == nil || !strings.Contains(err.Error(), `no model named "county_vs_provinces"`) ||
		!strings.Contains(innowatch.HintOf(err), "county_vs_province") {
		t.Errorf("error %v (hint %q), want one naming the model and listing the models", err, innowatch.HintOf(err))
	}
}

func TestUnknownReference(t *testing.T) {
	db := warehouse(t, "compare")
	fsys := fstest.MapFS{
		"m/a.sql": {Data: []byte("WITH x AS (SELECT 1 AS n) SELECT * FROM x, regions, range(3) r(i)")},
		"m/b.sql": {Data: []byte("SELECT * FROM a JOIN regoins USING (code)")},
	}
	ms, err := models.Load(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&models.Builder{DB: db, Models: ms}).Build(context.Background())
	if err == nil || !strings.Contains(err.Error(), "model m/b.sql reads \"regoins\"") || innowatch.HintOf(err) == "" {
		t.Errorf("error %v, want one naming m/b.sql and regoins with a hint", err)
	}
	tests := fstest.MapFS{"t/x.sql": {Data: []byte("SELECT * FROM a WHERE n NOT IN (SELECT n FROM nowhere)")}}
	ts, err := models.LoadTests(tests, "t")
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&models.Builder{DB: db, Models: ms[:1], Tests: ts}).Build(context.Background())
	if err == nil || !strings.Contains(err.Error(), "data test t/x.sql reads \"nowhere\"") {
		t.Errorf("error %v, want one naming t/x.sql and nowhere", err)
	}
}

// An error-severity test that returns rows rolls the whole build back and
// shows the rows; a warn-severity one is reported and the build goes on.
func TestDataTestSeverity(t *testing.T) {
	db := warehouse(t, "compare")
	ms, _ := embedded(t)
	if _, err := (&models.Builder{DB: db, Models: ms}).Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"t/high.sql": {Data: []byte("-- severity: warn\n-- description: 高于3%\nSELECT region_code, value FROM county_vs_province WHERE indicator = 'rd_intensity' AND period = '2020' AND value > 2.9 ORDER BY region_code")},
	}
	ts, err := models.LoadTests(fsys, "t")
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&models.Builder{DB: db, Models: ms, Tests: ts, FullRefresh: true}).Build(context.Background())
	if err != nil {
		t.Fatalf("a warning failed the build: %v", err)
	}
	w := res.Tests[0]
	if w.Failing != 2 || !cmp.Equal(w.Sample, [][]string{{"371302", "3"}, {"371371", "5"}}) {
		t.Errorf("warn test: %d rows %v, want 兰山 3 and 高新区 5", w.Failing, w.Sample)
	}
	// Nothing changed, but a warning that returned rows is not a pass: it
	// runs again, so that the next build shows it again.
	res, err = (&models.Builder{DB: db, Models: ms, Tests: ts}).Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tests) != 1 || res.Tests[0].Failing != 2 {
		t.Errorf("unchanged build after a warning ran %+v, want the warning again with its 2 rows", res.Tests)
	}

	// The same rule as an error, after a fact changed: the build rolls back.
	fsys["t/high.sql"] = &fstest.MapFile{Data: []byte(strings.Replace(string(fsys["t/high.sql"].Data), "severity: warn", "severity: error", 1))}
	ts, _ = models.LoadTests(fsys, "t")
	if _, err := db.SQL().Exec("UPDATE facts SET value = 2.5 WHERE region_code = '371311' AND period = '2020' AND indicator = 'rd_expenditure'"); err != nil {
		t.Fatal(err)
	}
	_, err = (&models.Builder{DB: db, Models: ms, Tests: ts}).Build(context.Background())
	if !errors.Is(err, models.ErrTestsFailed) {
		t.Fatalf("error %v, want ErrTestsFailed", err)
	}
	for _, want := range []string{"error  t/high.sql: 2 failing row(s) — 高于3%", "region_code  value", "371302       3", "371371       5"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// Rolled back: 罗庄 keeps its previous 2.0, not 2.5.
	if got := rows(t, db, "SELECT value FROM county_vs_province WHERE region_code = '371311' AND indicator = 'rd_intensity' AND period = '2020'"); !cmp.Equal(got, [][]any{{2.0}}) {
		t.Errorf("罗庄 after a failed test = %v, want the previous 2.0", got)
	}
	if got := stagingObjects(t, db); len(got) != 0 {
		t.Errorf("after a failed test staging objects %v remain", got)
	}
}

// The shipped domain tests catch bad input: a share above 100% fails the
// build; a year-to-date figure that falls, or counties adding up to more than
// their city, are warnings.
func TestDomainTestsCatchBadData(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	ctx := context.Background()
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	load := func(name, csv string) {
		t.Helper()
		b := pipelines.ReadCSV(name, []byte(csv), cat)
		if _, err := (&pipelines.Loader{DB: db, Now: time.Now}).Load(ctx, 9, b); err != nil {
			t.Fatal(err)
		}
	}
	header := "region_code,period,indicator,value,unit,status,note\n"
	// 临沂 1-3月 hitech_output revised to 18, below 1-2月's 20; 兰山's 2020 GDP
	// revised to 500: the counties now add up to 500 + 100 + 50 + 80 = 730 > 临沂's 400.
	load("warn.csv", header+"371300,2020-03,hitech_output,18,亿元,provisional,\n371302,2020,gdp,500,亿元,provisional,\n")
	res, err := buildWith(t, db, models.Builder{})
	if err != nil {
		t.Fatalf("warnings failed the build: %v", err)
	}
	got := map[string][][]string{}
	for _, r := range res.Tests {
		if !r.Passed() {
			got[r.Name] = r.Sample
		}
	}
	want := map[string][][]string{
		"ytd_non_decreasing":    {{"371300", "hitech_output", "2020-02", "20", "2020-03", "18"}},
		"parts_not_above_whole": {{"371300", "2020", "gdp", "county", "4", "730", "400"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}

	// 临沂 1月 hitech_output 35 > industrial_output 30: a share of 116.7%.
	load("error.csv", header+"371300,2020-01,hitech_output,35,亿元,provisional,\n")
	_, err = buildWith(t, db, models.Builder{})
	if !errors.Is(err, models.ErrTestsFailed) || !strings.Contains(err.Error(), "tests/shares_within_0_100.sql: 1 failing row(s)") {
		t.Errorf("error %v, want shares_within_0_100 to fail", err)
	}
}

// DuckDB's line numbers in a model's error are the file's own.
func TestModelErrorLineIsTheFileLine(t *testing.T) {
	db := warehouse(t, "compare")
	fsys := fstest.MapFS{"m/bad.sql": {Data: []byte("-- materialized: table\n-- description: x\nSELECT code,\n       no_such_column\nFROM regions")}}
	ms, err := models.Load(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&models.Builder{DB: db, Models: ms}).Build(context.Background())
	if err == nil || !strings.Contains(err.Error(), "build model bad (m/bad.sql)") || !strings.Contains(err.Error(), "LINE 4:") {
		t.Errorf("error %v, want one naming m/bad.sql at LINE 4", err)
	}
}

// stagingObjects lists the tables and views left under a staging name.
func stagingObjects(t *testing.T, db *duckdb.DB) [][]any {
	t.Helper()
	return rows(t, db, `SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%\_\_staging' ESCAPE '\'
		UNION ALL SELECT view_name FROM duckdb_views() WHERE view_name LIKE '%\_\_staging' ESCAPE '\' ORDER BY 1`)
}

// Each staging table is committed as soon as it is built (no transaction
// holds the whole build), while readers still see yesterday's marts until
// the swap. With the old single-transaction build, another connection saw
// no staging table during the build.
func TestStagingCommittedBeforeSwap(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	if _, err := db.SQL().Exec("UPDATE facts SET value = 2.5 WHERE region_code = '371311' AND period = '2020' AND indicator = 'rd_expenditure'"); err != nil {
		t.Fatal(err)
	}
	ms, ts := embedded(t)
	var during [][]any
	var rdDuring [][]any
	b := &models.Builder{DB: db, Models: ms, Tests: ts, Progress: func(r models.ModelResult) {
		if r.Name != "county_vs_province" || r.Status != models.Built {
			return
		}
		during = stagingObjects(t, db)
		rdDuring = rows(t, db, "SELECT value FROM county_vs_province WHERE region_code = '371311' AND indicator = 'rd_intensity' AND period = '2020'")
	}}
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := [][]any{{"city_ranking__staging"}, {"county_vs_province__staging"}, {"facts_latest__staging"}, {"indicator_values__staging"}}
	if diff := cmp.Diff(want, during); diff != "" {
		t.Errorf("staging objects another connection sees during the build (-want +got):\n%s", diff)
	}
	if !cmp.Equal(rdDuring, [][]any{{2.0}}) {
		t.Errorf("罗庄 during the build = %v, want yesterday's 2.0", rdDuring)
	}
	if got := stagingObjects(t, db); len(got) != 0 {
		t.Errorf("after the build staging objects %v remain", got)
	}
	if got := rows(t, db, "SELECT value FROM county_vs_province WHERE region_code = '371311' AND indicator = 'rd_intensity' AND period = '2020'"); !cmp.Equal(got, [][]any{{2.5}}) {
		t.Errorf("罗庄 after the build = %v, want 2.5", got)
	}
}

// A build killed before its swap leaves staging objects behind (simulated
// here); the next build drops them, whatever they hold, and succeeds, also
// when it has nothing to rebuild. The old build dropped a leftover staging
// table only when it rebuilt that model, and never a leftover view.
func TestLeftoverStagingFromAKill(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	for _, q := range []string{
		"CREATE TABLE indicator_values__staging AS SELECT 1 AS junk",
		"CREATE VIEW monthly_values__staging AS SELECT 2 AS junk",
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	res, err := buildWith(t, db, models.Builder{})
	if err != nil {
		t.Fatalf("build after a kill: %v", err)
	}
	if got := statuses(res)["indicator_values"]; got != "skipped unchanged" {
		t.Errorf("indicator_values %q, want skipped unchanged", got)
	}
	if got := stagingObjects(t, db); len(got) != 0 {
		t.Errorf("staging objects %v left after the next build", got)
	}
}

// A view that is not rebuilt (here: not selected) but reads a rebuilt model
// shows the new rows once the build is swapped in, so the data tests must
// check it over the new rows too. Before the staging copy of such views, a
// test of monthly_values read it over yesterday's indicator_values.
func TestTestsSeeViewsOverRebuiltModels(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	// 临沂 hitech_output 1-2月 20 → 25: February's single month 25 − 12 = 13 (was 8).
	if _, err := db.SQL().Exec("UPDATE facts SET value = 25 WHERE region_code = '371300' AND period = '2020-02' AND indicator = 'hitech_output'"); err != nil {
		t.Fatal(err)
	}
	ms, _ := embedded(t)
	ts, err := models.LoadTests(fstest.MapFS{"t/feb.sql": {Data: []byte("-- severity: warn\nSELECT region_code, month_value FROM monthly_values " +
		"WHERE region_code = '371300' AND period = '2020-02' AND indicator = 'hitech_output' AND month_value <> 8")}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&models.Builder{DB: db, Models: ms, Tests: ts, Select: []string{"indicator_values"}}).Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(res)["monthly_values"]; got != "skipped not selected" {
		t.Fatalf("monthly_values %q, want skipped not selected", got)
	}
	if len(res.Tests) != 1 || !cmp.Equal(res.Tests[0].Sample, [][]string{{"371300", "13"}}) {
		t.Errorf("the test of monthly_values saw %+v, want 临沂 February 13 from the rebuilt indicator_values", res.Tests)
	}
	if got := stagingObjects(t, db); len(got) != 0 {
		t.Errorf("staging objects %v remain", got)
	}
}

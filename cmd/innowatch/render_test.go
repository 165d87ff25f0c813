package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// render publishes every page of the site from the sample and reports
// the sizes; the marts of the models issue that are not built yet show
// as such instead of failing the render.
func TestRenderSite(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	site := filepath.Join(dir, "site")
	if out, errOut, code := runCLI(t, "run", "--db", db, "--out", site); code != 0 {
		t.Fatalf("run exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code := runCLI(t, "render", "--db", db, "--out", site, "--sizes")
	if code != 0 {
		t.Fatalf("render exit %d\n%s%s", code, out, errOut)
	}
	summary := regexp.MustCompile(`rendered   32 pages into .*site: overview (\d+)\.\d KB gzip with its scripts`)
	m := summary.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("render output lacks the summary line:\n%s", out)
	}
	if kb, _ := strconv.Atoi(m[1]); kb <= 0 || kb >= 600 {
		t.Errorf("overview is %s KB gzip, want at most 600", m[1])
	}
	for _, want := range []string{"index.html ", "indicators/rd_intensity.html ", "regions/371302.html ", "methodology.html ", "open       file://"} {
		if !strings.Contains(out, want) {
			t.Errorf("render --sizes output lacks %q:\n%s", want, out)
		}
	}
	for _, page := range []string{"index.html", "targets.html", "methodology.html", "indicators/hitech_enterprises.html",
		"regions/371371.html", "assets/site.js", "assets/echarts.min.js"} {
		if st, err := os.Stat(filepath.Join(site, page)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", page, err)
		}
	}
	index, err := os.ReadFile(filepath.Join(site, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"示例数据（模拟）", "兰山区", `id="chart_map"`} {
		if !strings.Contains(string(index), want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}

// The render state changes with each thing the site shows (model states,
// loads, bulletins, focus, targets, the day) and only with them: a no-op run
// skips the render on it.
func TestRenderStateFollowsWhatTheSiteShows(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "w.duckdb")
	if _, err := duckdb.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	db, err := duckdb.Open(ctx, p, duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	state := func(now time.Time) string {
		t.Helper()
		s, err := renderState(ctx, db.SQL(), now)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	seen := map[string]string{}
	check := func(what string) {
		t.Helper()
		s := state(day)
		if again := state(day); again != s {
			t.Fatalf("after %s: two states of the same warehouse differ", what)
		}
		if prev, dup := seen[s]; dup {
			t.Errorf("after %s: the state is the one after %s", what, prev)
		}
		seen[s] = what
	}
	check("creation")
	for _, c := range []struct{ what, q string }{
		{"a model built", `INSERT INTO model_state VALUES ('m', 'table', 'h', 's1', 1, now(), 1, 1)`},
		{"a model rebuilt", `UPDATE model_state SET state_hash = 's2'`},
		{"a second model, ordered before it", `INSERT INTO model_state VALUES ('a', 'view', 'h', 's1', NULL, now(), 1, 1)`},
		{"a load", `INSERT INTO loads (run_id, file_name, file_hash, format, rows_read, facts_new, facts_revised, loaded_at, encoding, mapping, warnings)
			VALUES (1, 'a.csv', 'h', 'long_csv', 1, 1, 0, now(), 'utf-8', NULL, 0)`},
		{"a bulletin", `INSERT INTO bulletins (month, revision, issue_no, title, html, markdown, vintage, published_at, run_id)
			VALUES ('2026-11', 0, 1, 't', 'h', 'm', '{}', now(), 1)`},
		{"a target", `INSERT INTO targets VALUES ('371300', 2026, 'rd_intensity', 'total', 2.5, NULL, NULL, 'd', 's')`},
		{"a target changed", `UPDATE targets SET target_value = 2.6`},
		{"the focus", `UPDATE focus SET city_code = '370100'`},
	} {
		if _, err := db.SQL().ExecContext(ctx, c.q); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		check(c.what)
	}
	if state(day) == state(day.Add(24*time.Hour)) {
		t.Error("the next day has the same state: freshness would not be judged again")
	}
}

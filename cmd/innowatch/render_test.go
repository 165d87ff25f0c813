package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
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

package dashboards

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/linyi-sti/innowatch"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func render(t *testing.T, rows []cvpRow, sample bool) (Result, string) {
	t.Helper()
	db := newFixtureDB(t, rows, sample)
	out := filepath.Join(t.TempDir(), "site")
	res, err := Render(context.Background(), db, out, Options{Now: fixedNow})
	if err != nil {
		t.Fatalf("Render: %v (hint: %s)", err, innowatch.HintOf(err))
	}
	return res, out
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRenderGolden(t *testing.T) {
	res, out := render(t, linyi2020(), true)
	if got, want := res.Pages, []string{"index.html"}; !cmp.Equal(got, want) {
		t.Errorf("Pages = %v, want %v", got, want)
	}
	if res.Dir != out {
		t.Errorf("Dir = %q, want %q", res.Dir, out)
	}
	for _, f := range []string{"index.html", "assets/echarts.min.js", "assets/maps/shan1_dong1_lin2_yi2.js", "assets/site.css"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", f, err)
		}
	}
	got := readFile(t, filepath.Join(out, "index.html"))
	golden := filepath.Join("testdata", "index.golden.html")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readFile(t, golden)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("index.html differs from %s (-want +got; rerun with -update after review):\n%s", golden, diff)
	}
}

func TestRenderPageContent(t *testing.T) {
	_, out := render(t, linyi2020(), true)
	page := readFile(t, filepath.Join(out, "index.html"))
	for _, want := range []string{
		`<html lang="zh-CN">`,
		`<meta charset="utf-8">`,
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
		`<title>临沂市科技创新监测</title>`,
		`数据期：2020年`,
		`数据截至 2021-03-15 10:30`,
		`页面生成于 2021-03-16 08:05`,
		`示例数据（模拟）`,
		`临沂市2020年 2.14%，低于全省 0.16 个百分点`,
		`全省 2.30%`,
		`<script src="assets/echarts.min.js"></script>`,
		`<script src="assets/maps/shan1_dong1_lin2_yi2.js"></script>`,
		`<link rel="stylesheet" href="assets/site.css">`,
		`2020年起不再单列统计`,
		`id="chart_map"`, `id="chart_bar"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	// The 2019 and 2021 rows and the monthly indicator stay out.
	for _, bad := range []string{"45.6", "尚未发布", "2.20"} {
		if strings.Contains(page, bad) {
			t.Errorf("index.html shows %q from another period or indicator", bad)
		}
	}
}

func TestRenderNoSampleBadgeForRealData(t *testing.T) {
	_, out := render(t, linyi2020(), false)
	if page := readFile(t, filepath.Join(out, "index.html")); strings.Contains(page, "示例数据") {
		t.Error("index.html shows the sample badge, but no fact comes from a sample: source")
	}
}

func TestRenderEscapesData(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	rows := linyi2020()
	rows[2].Name = evil // 河东区, a county: in the table and the bars
	rows[len(rows)-4].Reason = `</script><b>x</b>`
	_, out := render(t, rows, false)
	page := readFile(t, filepath.Join(out, "index.html"))
	if strings.Contains(page, evil) || strings.Contains(page, "<b>x</b>") {
		t.Fatal("a region name or reason reached index.html unescaped")
	}
	if got := strings.Count(page, "<script"); got != 3 {
		t.Errorf("index.html has %d <script> tags, want 3 (two vendored, one inline)", got)
	}
	for _, want := range []string{
		`&lt;script&gt;alert(1)&lt;/script&gt;`,         // as text in the table
		`\u003cscript\u003ealert(1)\u003c/script\u003e`, // inside the chart options
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks the escaped form %s", want)
		}
	}
}

// allowedURLs are the only http strings the vendored echarts.min.js may
// hold: XML namespace identifiers the SVG renderer passes to
// createElementNS, and licence links in comments. None is ever fetched.
var allowedURLs = map[string]map[string]bool{
	"assets/echarts.min.js": {
		"http://www.w3.org/2000/svg":                                true,
		"http://www.w3.org/1999/xlink":                              true,
		"http://www.w3.org/2000/xmlns/":                             true,
		"http://www.w3.org/XML/1998/namespace":                      true,
		"http://www.apache.org/licenses/LICENSE-2.0":                true,
		"https://github.com/ecomfe/zrender/blob/master/LICENSE.txt": true,
	},
}

var urlPattern = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)\\]*`)

func TestRenderNoExternalURL(t *testing.T) {
	_, out := render(t, linyi2020(), true)
	files := 0
	err := filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel, _ := filepath.Rel(out, path)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, u := range regexp.MustCompile(`(?i)https?://[^\s"'<>)\\]*`).FindAllString(string(b), -1) {
			if !allowedURLs[rel][u] {
				t.Errorf("%s holds the URL %s", rel, u)
			}
		}
		if rel == "index.html" || rel == "assets/site.css" {
			// Protocol-relative references (src="//cdn…") count too.
			for _, u := range urlPattern.FindAllString(string(b), -1) {
				t.Errorf("%s references %s", rel, u)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != 4 {
		t.Errorf("site has %d files, want 4", files)
	}
}

func TestRenderFailureKeepsPreviousSite(t *testing.T) {
	db := newFixtureDB(t, linyi2020(), true)
	out := filepath.Join(t.TempDir(), "site")
	ctx := context.Background()
	if _, err := Render(ctx, db, out, Options{Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, filepath.Join(out, "index.html"))

	t.Run("write fails before publish", func(t *testing.T) {
		boom := errors.New("disk full")
		testHookBeforePublish = func(staging string) error {
			// The staging folder is complete at this point.
			if _, err := os.Stat(filepath.Join(staging, "index.html")); err != nil {
				t.Errorf("staging lacks index.html: %v", err)
			}
			return boom
		}
		defer func() { testHookBeforePublish = nil }()
		_, err := Render(ctx, db, out, Options{Now: func() time.Time { return fixedNow().Add(time.Hour) }})
		if !errors.Is(err, boom) {
			t.Fatalf("Render error = %v, want %v", err, boom)
		}
		checkUntouched(t, out, before)
	})

	t.Run("query fails", func(t *testing.T) {
		if _, err := db.Exec(`DROP TABLE county_vs_province`); err != nil {
			t.Fatal(err)
		}
		if _, err := Render(ctx, db, out, Options{Now: fixedNow}); err == nil {
			t.Fatal("Render succeeded without county_vs_province")
		}
		checkUntouched(t, out, before)
	})
}

func TestRenderRecoversInterruptedPublish(t *testing.T) {
	db := newFixtureDB(t, linyi2020(), true)
	out := filepath.Join(t.TempDir(), "site")
	ctx := context.Background()
	if _, err := Render(ctx, db, out, Options{Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	// A crash between ReplaceDir's renames leaves only the backup, and an
	// abandoned staging folder.
	if err := os.Rename(out, out+".old"); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out+".new-123", 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Render(ctx, db, out, Options{Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	checkUntouched(t, out, readFile(t, filepath.Join(out, "index.html")))
}

// checkUntouched asserts the site still serves before and no staging or
// backup folder is left next to it.
func checkUntouched(t *testing.T, out, before string) {
	t.Helper()
	if got := readFile(t, filepath.Join(out, "index.html")); got != before {
		t.Error("the previous index.html was changed")
	}
	left, _ := filepath.Glob(out + ".*")
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestCheckAssetsMissing(t *testing.T) {
	fsys := fstest.MapFS{"assets/site.css": {Data: []byte("body{}")}}
	err := checkAssets(fsys)
	if !errors.Is(err, ErrAssetsMissing) {
		t.Fatalf("checkAssets = %v, want ErrAssetsMissing", err)
	}
	for _, want := range []string{"scripts/assets.sh", "make assets"} {
		if !strings.Contains(err.Error(), want) || !strings.Contains(innowatch.HintOf(err), want) {
			t.Errorf("error %q (hint %q) does not mention %s", err, innowatch.HintOf(err), want)
		}
	}
	if err := checkAssets(Assets); err != nil {
		t.Fatalf("the test binary lacks the vendored assets: %v", err)
	}
}

func TestRenderNoData(t *testing.T) {
	rows := []cvpRow{{"371302", "兰山区", "county", "2021", "rd_intensity", nil, nil, nil, nil, "尚未发布"}}
	db := newFixtureDB(t, rows, false)
	out := filepath.Join(t.TempDir(), "site")
	_, err := Render(context.Background(), db, out, Options{Now: fixedNow})
	if !errors.Is(err, ErrNoData) {
		t.Fatalf("Render = %v, want ErrNoData", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("Render without data created %s", out)
	}
}

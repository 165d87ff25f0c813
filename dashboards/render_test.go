package dashboards

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards/internal/echartsext"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// render renders the fixture into a new folder.
func render(t *testing.T, o fixtureOpts, opt Options) (Result, string) {
	t.Helper()
	db := newFixture(t, o)
	out := filepath.Join(t.TempDir(), "site")
	if opt.Now == nil {
		opt.Now = fixedNow
	}
	if opt.Models == nil {
		opt.Models = fixtureModels(t)
	}
	res, err := Render(context.Background(), db, out, opt)
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

// goldenPages are the pages compared with testdata/golden: one of each kind,
// and the indicators of each shape (annual ratio, monthly stock, flow).
var goldenPages = []string{"index.html", "indicators/rd_intensity.html", "indicators/hitech_enterprises.html",
	"indicators/tech_contract_turnover.html", "indicators/platforms.html", "regions/371302.html", "regions/371372.html", "targets.html",
	"methodology.html"}

func TestRenderGolden(t *testing.T) {
	res, out := render(t, fixtureOpts{sample: true}, Options{})
	// Every indicator of the catalog has a page, with data or not.
	wantPages := []string{"index.html"}
	for _, code := range []string{"rd_expenditure", "gdp", "rd_intensity", "hitech_output", "industrial_output",
		"hitech_output_share", "hitech_enterprises", "tech_smes", "platforms", "incubators", "incubation_area",
		"tech_contract_turnover", "achievements_transferred", "key_tech_breakthroughs", "star_market_listings"} {
		wantPages = append(wantPages, "indicators/"+code+".html")
	}
	for _, code := range []string{"371302", "371311", "371312", "371321", "371322", "371323", "371324", "371325",
		"371326", "371327", "371328", "371329", "371371", "371372"} {
		wantPages = append(wantPages, "regions/"+code+".html")
	}
	wantPages = append(wantPages, "targets.html", "methodology.html")
	if diff := cmp.Diff(wantPages, res.Pages); diff != "" {
		t.Errorf("Pages (-want +got):\n%s", diff)
	}
	if res.Dir != out {
		t.Errorf("Dir = %q, want %q", res.Dir, out)
	}
	for _, p := range goldenPages {
		got := readFile(t, filepath.Join(out, p))
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(p, "/", "_"))
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(readFile(t, golden), got); diff != "" {
			t.Errorf("%s differs from %s (-want +got; rerun with -update after review):\n%s", p, golden, diff)
		}
	}
}

// The figures below are computed by hand from the fixture rows.
func TestRenderFigures(t *testing.T) {
	_, out := render(t, fixtureOpts{sample: true}, Options{})
	for page, wants := range map[string][]string{
		"index.html": {
			`<title data-en="Overview · Linyi Innovation Monitor">总览 · 临沂市科技创新监测</title>`,
			`<span class="zh">示例数据（模拟）</span>`,
			// The data period (the latest month with data, as a point in
			// time), then when the latest data were loaded, in Beijing time.
			`<span class="as-of"><span class="zh">数据截至2020年10月</span><span class="en">Data to Oct 2020</span></span>`,
			`<span class="updated"><span class="zh">更新于 </span><span class="en">Updated </span>2021-03-15 10:30</span>`,
			`页面生成于 </span><span class="en">Generated </span>2021-03-16 08:05`,
			// R&D intensity: 2.14 against 2.30, 2.02 a year earlier, rank 9 → 8.
			`<p class="value">2.14<span class="unit">%</span></p>`,
			`<span class="zh">+0.12个百分点</span><span class="en">+0.12 pp</span>`,
			`<span class="zh">低于全省0.16个百分点</span><span class="en">0.16 pp below the province</span>`,
			`<span class="zh">第8位（共16市）</span><span class="en">8 of 16 cities</span> <span class="delta up">↑1</span>`,
			`<span class="zh">临沂市2020年为2.14%，低于全省0.16个百分点</span>`,
			// High-tech enterprises: 600 in October; (600−512)/512 = +17.2%;
			// 600 / (13354/16) = 71.9% of the average city.
			`<p class="value">600<span class="unit"><span class="zh">家</span>`,
			`<dd class="up">+17.2%</dd>`,
			`相当于全省市均的71.9%`,
			// Targets at their latest as-of (October, not September).
			`净增高新技术企业100家以上：完成目标的80.0%，慢于序时进度（10/12 = 83.3%）3.3个百分点`,
			// A stock target on its increase since 2019-12: (600 − 520) ÷
			// (630 − 520) = 72.7% (issue 14, item 2: not 600 ÷ 630 = 95.2% "ahead").
			`高新技术企业总数达到630家以上：完成目标的72.7%，慢于序时进度（10/12 = 83.3%）10.6个百分点`,
			// A point target: 同比 in points, no 序时进度.
			`高新技术产业产值占比提高1个百分点以上：同比提高1.20个百分点，已达目标幅度（以全年数评价）`,
			// Above the province: no race against time; 2.14 − 2.30.
			`<span class="zh">▼ 未达标</span><span class="en">▼ Not met</span></span><span class="zh">全社会R&amp;D投入占比持续增高，确保超过全省平均水平：低于全省0.16个百分点</span>`,
			// Turnover: 30 against 278.8/16 = 17.425 per city.
			`相当于全省市均的172.2%`,
			// No data for platforms yet.
			`<span class="zh">暂无数据</span>`,
			// The league: tier bands, the tie at 9, Linyi 0.41 below tier 1.
			`<tr class="tier-2 focus">`,
			`<tr class="tier-3 tier-start">`,
			`<td class="num" data-sort="0.4099999999999997">0.41</td>`, // 2.55 − 2.14
		},
		"indicators/hitech_enterprises.html": {
			// 13354/136 = 98.19 per county, an average shown with one
			// decimal; 兰山 127 → +28.8, index 129.3.
			`>98.2</td><td class="num" data-sort="28.808823529411768">+28.8</td><td class="num" data-sort="129.3395237382058">129.3</td>`,
			// 2019-10 = 472 + 40; 2020-10 = 520 + 80.
			`<td class="num" data-sort="512">512</td><td class="num" data-sort="600">600</td>`,
		},
		"indicators/tech_contract_turnover.html": {
			`<td class="num missing">—<span class="reason">未按时报送</span></td>`,
			`id="chart_month_bars"`,
		},
		"indicators/hitech_output_share.html": {
			`<td class="num missing">—<span class="reason">蒙阴县未按时报送</span></td>`,
		},
		"regions/371302.html": {
			`兰山区高新技术企业达到130家：完成目标的85.0%，快于序时进度（10/12 = 83.3%）1.7个百分点`,
			// The index: 41.451 ÷ 36.8, the group named by index_groups.
			`2020年创新指数为全省的112.6（全省=100），属较强型`,
			`<td class="num" data-sort="41.451">41.5</td><td class="num" data-sort="112.638587">112.6</td><td><span class="zh">较强型</span><span class="en">strong innovator</span></td><td class="num" data-sort="2">2/14</td><td class="num" data-sort="4">4</td>`,
			// Components: 127 ÷ 900 × 100 = 14.11 per 100 亿元 of GDP.
			`<td class="num" data-sort="127">127</td><td class="num" data-sort="14.111111">14.11</td><td class="num" data-sort="0.390328">0.390</td>`,
			`<td class="num missing">—<span class="reason">2020-12未报送</span></td>`,
		},
		"regions/371372.html": {`2020年起不再单列统计`, `<td class="num missing">—<span class="reason">有值构成项权重不足50%</span></td>`},
		"targets.html": {
			`进度截至2020年10月：序时进度 10/12 = 83.3%`,
			`争取2020年有1-2家企业在科创板上市：2020年数据尚未报送`,
			`<td class="num" data-sort="520">520（2019-12）</td>`,
		},
		"methodology.html": {
			`滞后4个月`,     // hitech_enterprises: October 2020 against February 2021
			`2010–2030`, // 136 county-level units
			// The method tables as shipped by the migrations.
			`<td>1–4</td>`, `<td>5–10</td>`, `<span class="zh">第11位及以后</span><span class="en">11 and below</span>`,
			`<td><span class="zh">÷ 地区生产总值 × 100</span><span class="en">÷ Gross domestic product × 100</span></td>`,
			`<span class="zh">开平方</span>`,
			`<td><span class="zh">2016 – 最新年份</span><span class="en">2016 – latest year</span></td>`, `<td>50%</td>`,
			`<td>≥ 125</td>`, `<td>100 – 125</td>`, `<td>&lt; 70</td>`,
		},
	} {
		got := readFile(t, filepath.Join(out, page))
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %s", page, want)
			}
		}
	}
	index := readFile(t, filepath.Join(out, "index.html"))
	for _, bad := range []string{"完成目标的94.0%", "该部分数据模型尚未构建", "NaN", "%!"} {
		if strings.Contains(index, bad) {
			t.Errorf("index.html shows %q", bad)
		}
	}
}

// The radar's spokes are the region's indices against the province.
func TestRadarIndices(t *testing.T) {
	db := newFixture(t, fixtureOpts{})
	w, err := loadWarehouse(context.Background(), db, true)
	if err != nil {
		t.Fatal(err)
	}
	p := newSite(w, fixedNow(), nil, false).regionPage(regionRef{Code: "371302", Name: "兰山区", Level: "county"})
	var radar chartSpec
	for _, c := range p.Charts {
		if c.ID == "chart_radar" {
			radar = c
		}
	}
	series := radar.Variants[""].Zh["series"].([]echartsext.Series)[0].Data.([]echartsext.RadarItem)
	// 2.41/2.30, 48.2/46.8, 127/(13354/136), 6.20/(278.8/136), × 100.
	if diff := cmp.Diff([]float64{104.8, 103, 129.3, 302.4}, series[1].Value); diff != "" {
		t.Errorf("radar values (-want +got):\n%s", diff)
	}
	axes := radar.Variants[""].En["radar"].(*echartsext.Radar).Indicator
	if axes[0].Name != "R&D intensity" || axes[0].Max != 350.0 {
		t.Errorf("first English spoke %v, want R&D intensity up to 350", axes[0])
	}
}

func TestRenderCSV(t *testing.T) {
	_, out := render(t, fixtureOpts{}, Options{})
	got := readFile(t, filepath.Join(out, "indicators", "tech_contract_turnover-month-values.csv"))
	lines := strings.Split(got, "\n")
	want := []string{"\ufeff月份,2019年,2020年,说明", "1,2.50,3.00,", "5,2.50,3.00,", "6,2.50,,", "7,2.50,,", "8,2.50,3.00,", "11,2.50,,"}
	for _, w := range want {
		found := false
		for _, l := range lines {
			found = found || l == w
		}
		if !found {
			t.Errorf("month values CSV lacks the line %q:\n%s", w, got)
		}
	}
	units := readFile(t, filepath.Join(out, "indicators", "hitech_output_share-units.csv"))
	if !strings.Contains(units, "蒙阴县,,46.80,,,,,,数值（%）：蒙阴县未按时报送") {
		t.Errorf("units CSV: the missing county should have empty cells and the reason:\n%s", units)
	}
}

func TestRenderEscapesData(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	rows := fixture()
	for i := range rows {
		if rows[i].Code == "371312" { // 河东区: tables, bars, navigation, its own page
			rows[i].Name = evil
		}
		if rows[i].Code == "371372" {
			rows[i].Reason = `</script><b>x</b>`
		}
	}
	_, out := render(t, fixtureOpts{rows: rows}, Options{})
	walkPages(t, out, func(rel, page string) {
		if strings.Contains(page, evil) || strings.Contains(page, "<b>x</b>") {
			t.Errorf("%s: a region name or reason arrived unescaped", rel)
		}
	})
	index := readFile(t, filepath.Join(out, "index.html"))
	if got := strings.Count(index, "<script"); got != 4 {
		t.Errorf("index.html has %d <script> tags, want 4 (echarts, the map, site.js, the chart data)", got)
	}
	for _, want := range []string{
		`&lt;script&gt;alert(1)&lt;/script&gt;`,         // as text
		`\u003cscript\u003ealert(1)\u003c/script\u003e`, // inside the chart options
	} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks the escaped form %s", want)
		}
	}
}

func walkPages(t *testing.T, out string, fn func(rel, page string)) {
	t.Helper()
	err := filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		fn(filepath.ToSlash(rel), readFile(t, path))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// allowedURLs are the only http strings the vendored echarts.min.js may
// hold, none of them ever fetched: the zrender licence link in a comment and
// the XML namespace names the SVG renderer (used by the bulletin) writes
// into the SVG it builds.
var allowedURLs = map[string]bool{
	"https://github.com/ecomfe/zrender/blob/master/LICENSE.txt": true,
	"http://www.w3.org/2000/svg":                                true,
	"http://www.w3.org/1999/xlink":                              true,
	"http://www.w3.org/2000/xmlns/":                             true,
	"http://www.w3.org/XML/1998/namespace":                      true,
}

var (
	anyURL       = regexp.MustCompile(`(?i)https?://[^\s"'<>)\\]*`)
	relativeURL  = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)\\]*`)
	hrefOrSrc    = regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	pagesAndCode = regexp.MustCompile(`\.(html|css|js|csv)$`)
)

// No file of the site names an outside URL, and every link and script of
// every page resolves to a file of the site.
func TestRenderOfflineAndLinked(t *testing.T) {
	_, out := render(t, fixtureOpts{sample: true}, Options{})
	files := 0
	err := filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel, _ := filepath.Rel(out, path)
		rel = filepath.ToSlash(rel)
		if !pagesAndCode.MatchString(rel) {
			t.Errorf("unexpected file %s", rel)
		}
		b := readFile(t, path)
		for _, u := range anyURL.FindAllString(b, -1) {
			if rel != "assets/echarts.min.js" || !allowedURLs[u] {
				t.Errorf("%s holds the URL %s", rel, u)
			}
		}
		if strings.HasSuffix(rel, ".html") || strings.HasPrefix(rel, "assets/site.") {
			for _, u := range relativeURL.FindAllString(b, -1) {
				t.Errorf("%s references %s", rel, u)
			}
		}
		if strings.HasSuffix(rel, ".html") {
			for _, m := range hrefOrSrc.FindAllStringSubmatch(b, -1) {
				target, _, _ := strings.Cut(m[1], "#")
				if target == "" {
					continue
				}
				if _, err := os.Stat(filepath.Join(filepath.Dir(path), filepath.FromSlash(target))); err != nil {
					t.Errorf("%s links to %s: %v", rel, m[1], err)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 40 {
		t.Errorf("site has %d files, want the pages, their CSV files and 4 assets", files)
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	_, a := render(t, fixtureOpts{}, Options{})
	_, b := render(t, fixtureOpts{}, Options{})
	walkPages(t, a, func(rel, page string) {
		if page != readFile(t, filepath.Join(b, rel)) {
			t.Errorf("%s differs between two renders of the same data", rel)
		}
	})
}

// The overview with ECharts, the map, the stylesheet and the script stays
// under 600 KB gzip; every page's size is reported: the sizes of the files
// written (the page and each script and stylesheet it loads, raw and
// gzip-compressed at the best level), whichever worker wrote them.
func TestRenderSizes(t *testing.T) {
	res, out := render(t, fixtureOpts{}, Options{})
	if len(res.Sizes) != len(res.Pages) {
		t.Fatalf("%d sizes for %d pages", len(res.Sizes), len(res.Pages))
	}
	gz := func(b []byte) int {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		return buf.Len()
	}
	loads := regexp.MustCompile(`<script src="([^"]+)"|<link rel="stylesheet" href="([^"]+)"`)
	for i, s := range res.Sizes {
		if s.Page != res.Pages[i] || s.HTMLGzip <= 0 || s.HTMLGzip >= s.HTMLBytes || s.TotalGzip <= s.HTMLGzip+100_000 {
			t.Errorf("size of %s: %+v", res.Pages[i], s)
		}
		html := []byte(readFile(t, filepath.Join(out, filepath.FromSlash(s.Page))))
		want := PageSize{Page: s.Page, HTMLBytes: len(html), HTMLGzip: gz(html)}
		want.TotalBytes, want.TotalGzip = want.HTMLBytes, want.HTMLGzip
		for _, m := range loads.FindAllSubmatch(html, -1) {
			ref := string(m[1]) + string(m[2])
			b := []byte(readFile(t, filepath.Join(out, filepath.FromSlash(path.Dir(s.Page)), filepath.FromSlash(ref))))
			want.TotalBytes += len(b)
			want.TotalGzip += gz(b)
		}
		if s != want {
			t.Errorf("size of %s: %+v, want %+v (the files written)", s.Page, s, want)
		}
	}
	if s := res.Sizes[0]; s.Page != "index.html" || s.TotalGzip > 600*1024 {
		t.Errorf("overview: %+v; want at most 600 KB gzip with its assets", s)
	}
}

func TestRenderFailureKeepsPreviousSite(t *testing.T) {
	db := newFixture(t, fixtureOpts{})
	out := filepath.Join(t.TempDir(), "site")
	ctx := context.Background()
	opt := Options{Now: fixedNow, Models: fixtureModels(t)}
	if _, err := Render(ctx, db, out, opt); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, filepath.Join(out, "index.html"))

	t.Run("write fails before publish", func(t *testing.T) {
		boom := errors.New("disk full")
		testHookBeforePublish = func(staging string) error {
			// The staging folder is complete at this point.
			for _, f := range []string{"index.html", "methodology.html", "assets/site.js"} {
				if _, err := os.Stat(filepath.Join(staging, f)); err != nil {
					t.Errorf("staging lacks %s: %v", f, err)
				}
			}
			return boom
		}
		defer func() { testHookBeforePublish = nil }()
		later := opt
		later.Now = func() time.Time { return fixedNow().Add(time.Hour) }
		if _, err := Render(ctx, db, out, later); !errors.Is(err, boom) {
			t.Fatalf("Render error = %v, want %v", err, boom)
		}
		checkUntouched(t, out, before)
	})

	t.Run("query fails", func(t *testing.T) {
		if _, err := db.Exec(`DROP TABLE county_vs_province`); err != nil {
			t.Fatal(err)
		}
		if _, err := Render(ctx, db, out, opt); err == nil {
			t.Fatal("Render succeeded without county_vs_province")
		}
		checkUntouched(t, out, before)
	})
}

func TestRenderRecoversInterruptedPublish(t *testing.T) {
	db := newFixture(t, fixtureOpts{})
	out := filepath.Join(t.TempDir(), "site")
	ctx := context.Background()
	opt := Options{Now: fixedNow, Models: fixtureModels(t)}
	if _, err := Render(ctx, db, out, opt); err != nil {
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
	if _, err := Render(ctx, db, out, opt); err != nil {
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
	rows := []cvp{{Code: "371302", Name: "兰山区", Level: "county", Period: "2021", Indicator: "rd_intensity", Reason: "尚未发布"}}
	db := newFixture(t, fixtureOpts{rows: rows})
	out := filepath.Join(t.TempDir(), "site")
	_, err := Render(context.Background(), db, out, Options{Now: fixedNow, Models: fixtureModels(t)})
	if !errors.Is(err, ErrNoData) {
		t.Fatalf("Render = %v, want ErrNoData", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("Render without data created %s", out)
	}
}

// The embedded models load and draw: the default of Options.Models.
func TestRenderEmbeddedLineage(t *testing.T) {
	db := newFixture(t, fixtureOpts{})
	out := filepath.Join(t.TempDir(), "site")
	if _, err := Render(context.Background(), db, out, Options{Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	page := readFile(t, filepath.Join(out, "methodology.html"))
	for _, want := range []string{"county_vs_province", "indicator_values", "facts_latest", `id="chart_lineage"`} {
		if !strings.Contains(page, want) {
			t.Errorf("methodology.html lacks %s", want)
		}
	}
}

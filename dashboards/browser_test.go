package dashboards

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdpage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

const installChromium = "apt-get install -y chromium fonts-wqy-zenhei"

// chromiumPath finds Debian's Chromium, or fails the test (skips it when
// INNOWATCH_SKIP_BROWSER=1): a missing browser must not pass silently.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "chromium not found: install it with `" + installChromium + "` (or set INNOWATCH_SKIP_BROWSER=1 to skip the browser test)"
	if os.Getenv("INNOWATCH_SKIP_BROWSER") == "1" {
		t.Skip("INNOWATCH_SKIP_BROWSER=1: " + msg)
	}
	t.Fatal(msg)
	return ""
}

// pageEvents collects what a page must not do: console errors and
// warnings, uncaught exceptions, browser log errors, dialogs, and requests
// that leave file://.
type pageEvents struct {
	mu       sync.Mutex
	problems []string
	requests []string
}

func (p *pageEvents) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			p.problems = append(p.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		p.problems = append(p.problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
	case *log.EventEntryAdded:
		// Warnings are left out: the test's own getImageData readback makes Chromium warn.
		if ev.Entry.Level == log.EntryLevelError {
			p.problems = append(p.problems, fmt.Sprintf("log %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
		}
	case *cdpage.EventJavascriptDialogOpening:
		p.problems = append(p.problems, "dialog: "+ev.Message)
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, ev.Request.URL)
	}
}

// take returns and clears what was collected.
func (p *pageEvents) take() (problems, requests []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	problems, requests = p.problems, p.requests
	p.problems, p.requests = nil, nil
	return problems, requests
}

// chartsPainted waits until every .chart element of the page holds a
// canvas with painted pixels, and reports each chart's painted share.
// ECharts draws on a transparent canvas, so a blank chart paints nothing.
const chartsPainted = `(() => {
  const specs = window.INNOWATCH_CHARTS || [];
  const els = document.querySelectorAll(".chart");
  if (specs.length !== els.length) return {error: "charts " + specs.length + ", elements " + els.length};
  const out = {};
  for (const el of els) {
    const c = el.querySelector("canvas");
    if (!c || c.width === 0) return null;
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) painted++;
    if (painted === 0) return null;
    const w = c.getBoundingClientRect().width;
    if (w === 0 || w > window.innerWidth) return null;
    out[el.id] = painted / (d.length / 4);
  }
  return {shares: out};
})()`

type paintResult struct {
	Error  string             `json:"error"`
	Shares map[string]float64 `json:"shares"`
}

type browser struct {
	t         *testing.T
	ctx       context.Context
	events    *pageEvents
	artifacts string
}

func newBrowser(t *testing.T) *browser {
	execPath := chromiumPath(t)
	artifacts := os.Getenv("INNOWATCH_ARTIFACTS")
	if artifacts == "" {
		var err error
		if artifacts, err = os.MkdirTemp("", "innowatch-artifacts-"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(execPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	events := &pageEvents{}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(events.listen))
	t.Cleanup(cancel)
	// Starts the browser; its life is bound to ctx, so no timeout here.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return &browser{t: t, ctx: ctx, events: events, artifacts: artifacts}
}

// open loads a page at a width and waits until its charts are painted.
func (b *browser) open(u string, width int64) map[string]float64 {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(u)); err != nil {
		b.t.Fatalf("open %s: %v", u, err)
	}
	return b.painted(u)
}

func (b *browser) painted(what string) map[string]float64 {
	b.t.Helper()
	res, err := chromedp.Run(b.ctx, chromedp.Poll[paintResult](chartsPainted, chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		b.t.Fatalf("%s: charts not painted: %v", what, err)
	}
	if res.Error != "" {
		b.t.Fatalf("%s: %s", what, res.Error)
	}
	return res.Shares
}

// eval runs js in the page and decodes its result into out.
func eval[T any](b *browser, js string, out *T) {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	*out = v
}

func (b *browser) click(css string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		b.t.Fatalf("click %s: %v", css, err)
	}
}

func (b *browser) shoot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(b.artifacts, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", p)
}

// check fails on anything the page did wrong since the last check.
func (b *browser) check(page string) {
	b.t.Helper()
	problems, requests := b.events.take()
	for _, p := range problems {
		b.t.Errorf("%s: %s", page, p)
	}
	if len(requests) == 0 {
		b.t.Errorf("%s: saw no request at all: is the network listener working?", page)
	}
	for _, r := range requests {
		if !strings.HasPrefix(r, "file://") {
			b.t.Errorf("%s requested %s: the site must not leave file://", page, r)
		}
	}
}

func fileURL(dir, page string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, page))}).String()
}

// TestBrowser opens every page of the fixture site from file:// in
// Chromium: no console error, no request leaving file://, every chart
// painted; the map holds the 12 counties; the indicator switch and the
// language switch work; screenshots at 1280 and 390 pixels.
func TestBrowser(t *testing.T) {
	res, out := render(t, fixtureOpts{sample: true}, Options{})
	b := newBrowser(t)
	b.visit(out, res.Pages, "")

	// The overview: the map was registered by the vendored file, and the
	// series holds the 12 counties with their values.
	b.open(fileURL(out, "index.html"), 1280)
	var features int
	eval(b, `echarts.getMap("临沂").geoJSON.features.length`, &features)
	if features != 12 {
		t.Errorf("map 临沂 has %d features, want 12", features)
	}
	type point struct {
		Name  string   `json:"name"`
		Value *float64 `json:"value"`
	}
	var mapData []point
	const mapSeries = `echarts.getInstanceByDom(document.getElementById("chart_map")).getOption().series[0].data`
	eval(b, mapSeries, &mapData)
	got := map[string]float64{}
	for _, p := range mapData {
		if p.Value == nil {
			t.Errorf("map: %s has no value", p.Name)
			continue
		}
		got[p.Name] = *p.Value
	}
	want := map[string]float64{"兰山区": 2.41, "罗庄区": 2.05, "河东区": 2.62, "沂南县": 1.48, "郯城县": 1.36, "沂水县": 2.18,
		"兰陵县": 1.21, "费县": 1.75, "平邑县": 1.52, "莒南县": 1.95, "蒙阴县": 1.12, "临沭县": 2.33}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("map series (-want +got):\n%s", diff)
	}

	// The indicator switch redraws the map and shows the indicator's texts.
	var dispatched bool
	eval(b, `(() => { const s = document.getElementById("ov-switch"); s.value = "hitech_enterprises";
  return s.dispatchEvent(new Event("change")); })()`, &dispatched)
	b.painted("index.html after the switch")
	eval(b, mapSeries, &mapData)
	var lanshan float64
	for _, p := range mapData {
		if p.Name == "兰山区" && p.Value != nil {
			lanshan = *p.Value
		}
	}
	if lanshan != 127 {
		t.Errorf("after switching to high-tech enterprises the map gives 兰山区 %v, want 127", lanshan)
	}
	var visible []string
	eval(b, `[...document.querySelectorAll(".variant")].filter(e => !e.hidden).map(e => e.dataset.variant)`, &visible)
	if diff := cmp.Diff([]string{"hitech_enterprises", "hitech_enterprises"}, visible); diff != "" {
		t.Errorf("visible panels after the switch (-want +got):\n%s", diff)
	}
	b.shoot("index-hitech_enterprises-1280.png")

	// The language switch: texts, title, chart options; kept across pages.
	type langState struct {
		Class  bool     `json:"cls"`
		Lang   string   `json:"lang"`
		Title  string   `json:"title"`
		H1     string   `json:"h1"`
		Option string   `json:"option"`
		Names  []string `json:"names"`
	}
	const state = `(() => ({cls: document.documentElement.classList.contains("lang-en"), lang: document.documentElement.lang,
  title: document.title, h1: document.querySelector("h1").innerText,
  option: document.querySelector("#ov-switch option:checked") ? document.querySelector("#ov-switch option:checked").textContent : "",
  names: echarts.getInstanceByDom(document.getElementById("chart_map")).getOption().series[0].data.map(d => d.name).sort()}))()`
	b.click("#lang-switch")
	b.painted("index.html in English")
	var en langState
	eval(b, state, &en)
	if !en.Class || en.Lang != "en" || en.Title != "Overview · Linyi Innovation Monitor" || en.H1 != "Overview" ||
		en.Option != "High-tech enterprises" || !contains(en.Names, "Lanshan") {
		t.Errorf("after the switch to English: %+v", en)
	}
	b.shoot("index-en-1280.png")
	b.open(fileURL(out, "regions/371302.html"), 1280)
	var h1 string
	eval(b, `document.documentElement.lang + " " + document.querySelector("h1").innerText`, &h1)
	if h1 != "en Lanshan" {
		t.Errorf("the next page opened as %q, want English (en Lanshan)", h1)
	}
	b.shoot("region-371302-en-1280.png")
	b.click("#lang-switch")
	eval(b, `document.documentElement.lang + " " + document.querySelector("h1").innerText`, &h1)
	if h1 != "zh-CN 兰山区" {
		t.Errorf("after switching back: %q, want zh-CN 兰山区", h1)
	}

	// Sorting a table by a number column puts missing values last.
	b.open(fileURL(out, "indicators/hitech_output_share.html"), 1280)
	var order []string
	b.click(`#t-units thead th:nth-child(2) button`)
	eval(b, `[...document.querySelectorAll("#t-units tbody tr")].map(r => r.cells[1].innerText.split("\n")[0])`, &order)
	if len(order) != 14 || order[0] != "36.80" || order[12] != "62.50" || order[13] != "—" {
		t.Errorf("ascending sort by value: %v; want 36.80 first, 62.50 13th, the missing value last", order)
	}
	b.check("interactions")

	// Print: the A4 stylesheet (no navigation, one column, charts fitted).
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	b.open(fileURL(out, "index.html"), 794)
	var nav string
	eval(b, `getComputedStyle(document.querySelector("nav.nav")).display`, &nav)
	if nav != "none" {
		t.Errorf("printed navigation display = %q, want none", nav)
	}
	b.shoot("index-print-a4.png")
	b.check("print")
}

func contains(xs []string, s string) bool {
	i := sort.SearchStrings(xs, s)
	return i < len(xs) && xs[i] == s
}

// shots are the pages photographed at both widths: one of each kind.
var shots = map[string]string{"index.html": "index", "indicators/rd_intensity.html": "indicator-rd_intensity",
	"indicators/tech_contract_turnover.html": "indicator-tech_contract_turnover",
	"indicators/hitech_enterprises.html":     "indicator-hitech_enterprises", "regions/371302.html": "region-371302",
	"targets.html": "targets", "methodology.html": "methodology"}

// visit opens every page: charts painted and not blank, nothing wrong in
// the console or the network; the pages in shots photographed at 1280 and
// 390 pixels, their file names prefixed.
func (b *browser) visit(dir string, pages []string, prefix string) {
	b.t.Helper()
	for _, p := range pages {
		shares := b.open(fileURL(dir, p), 1280)
		for id, share := range shares {
			if share < 0.01 {
				b.t.Errorf("%s: %s paints %.2f%% of its canvas: blank?", p, id, share*100)
			}
		}
		if name, ok := shots[p]; ok {
			b.shoot(prefix + name + "-1280.png")
			b.open(fileURL(dir, p), 390)
			b.shoot(prefix + name + "-390.png")
		}
		b.check(p)
	}
}

// TestBrowserSite checks a site rendered elsewhere, when INNOWATCH_SITE
// names its folder (for example after innowatch run on the sample): every
// page loads offline with its charts painted. Screenshots are prefixed
// "site-".
func TestBrowserSite(t *testing.T) {
	dir := os.Getenv("INNOWATCH_SITE")
	if dir == "" {
		t.Skip("INNOWATCH_SITE not set")
	}
	var pages []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".html") && !strings.Contains(path, "bulletins") {
			rel, _ := filepath.Rel(dir, path)
			pages = append(pages, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil || len(pages) == 0 {
		t.Fatalf("no pages in %s: %v", dir, err)
	}
	sort.Strings(pages)
	newBrowser(t).visit(dir, pages, "site-")
}

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

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
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

// pageEvents collects what the page must not do: console errors, uncaught
// exceptions, browser log errors, dialogs, and requests that leave file://.
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
	case *page.EventJavascriptDialogOpening:
		p.problems = append(p.problems, "dialog: "+ev.Message)
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, ev.Request.URL)
	}
}

func (p *pageEvents) snapshot() (problems, requests []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...), append([]string(nil), p.requests...)
}

// canvasCheck reports, for each chart, its canvas size and how many of its
// pixels are painted; ECharts draws on a transparent canvas, so a blank
// chart has none.
const canvasCheck = `(() => {
  const out = {};
  for (const id of ["chart_map", "chart_bar"]) {
    const c = document.querySelector("#" + id + " canvas");
    if (!c) { out[id] = {width: 0, height: 0, painted: 0}; continue; }
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) painted++;
    out[id] = {width: c.width, height: c.height, cssWidth: c.getBoundingClientRect().width, painted: painted, total: d.length / 4};
  }
  return out;
})()`

type canvasStat struct {
	Width    int     `json:"width"`
	Height   int     `json:"height"`
	CSSWidth float64 `json:"cssWidth"`
	Painted  int     `json:"painted"`
	Total    int     `json:"total"`
}

func TestBrowserRendersOffline(t *testing.T) {
	execPath := chromiumPath(t)
	_, out := render(t, linyi2020(), true)
	index := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out, "index.html"))}).String()

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
	defer cancelAlloc()
	events := &pageEvents{}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(events.listen))
	defer cancel()
	// Starts the browser; its life is bound to ctx, so no timeout here.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()

	shoot := func(width, height int64, name string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
			t.Fatalf("viewport %dpx: %v", width, err)
		}
		// Wait until both charts are painted at this width (the page
		// resizes them on the window's resize event).
		stats, err := chromedp.Run(ctx, chromedp.Poll[map[string]canvasStat](`(() => {
  const s = `+canvasCheck+`;
  const ok = Object.values(s).every(c => c.painted > 0 && c.cssWidth > 0 && c.cssWidth <= window.innerWidth);
  return ok ? s : null;
})()`, chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil {
			t.Fatalf("charts not painted at %dpx: %v", width, err)
		}
		for id, s := range stats {
			// A blank chart paints nothing; a drawn map or bar chart
			// covers a visible share of its canvas.
			if share := float64(s.Painted) / float64(s.Total); share < 0.02 {
				t.Errorf("%dpx: %s paints %.1f%% of its %dx%d canvas: blank?", width, id, share*100, s.Width, s.Height)
			}
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %dpx: %v", width, err)
		}
		p := filepath.Join(artifacts, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %dpx: %s", width, p)
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(index)); err != nil {
		t.Fatalf("open %s: %v", index, err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#chart_map canvas")), chromedp.WaitVisible(chromedp.CSS("#chart_bar canvas"))); err != nil {
		t.Fatalf("charts never appeared: %v", err)
	}

	// The map was registered by the vendored file and the series holds
	// the 12 counties, each with its value.
	features, err := chromedp.Run(ctx, chromedp.Evaluate[int](`echarts.getMap("临沂").geoJSON.features.length`))
	if err != nil {
		t.Fatalf("map 临沂 not registered: %v", err)
	}
	if features != 12 {
		t.Errorf("map 临沂 has %d features, want 12", features)
	}
	type point struct {
		Name  string   `json:"name"`
		Value *float64 `json:"value"`
	}
	mapData, err := chromedp.Run(ctx, chromedp.Evaluate[[]point](`echarts.getInstanceByDom(document.getElementById("chart_map")).getOption().series[0].data`))
	if err != nil {
		t.Fatalf("read map series: %v", err)
	}
	var names []string
	for _, p := range mapData {
		names = append(names, p.Name)
		if p.Value == nil {
			t.Errorf("map: %s has no value", p.Name)
		}
	}
	sort.Strings(names)
	want := []string{"临沭县", "兰山区", "兰陵县", "平邑县", "河东区", "沂南县", "沂水县", "罗庄区", "莒南县", "蒙阴县", "费县", "郯城县"}
	sort.Strings(want)
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("map series counties (-want +got):\n%s", diff)
	}
	bars, err := chromedp.Run(ctx, chromedp.Evaluate[int](`echarts.getInstanceByDom(document.getElementById("chart_bar")).getOption().series[0].data.length`))
	if err != nil || bars != 14 {
		t.Errorf("bar series has %d items (%v), want 14 (12 counties, 2 zones)", bars, err)
	}

	shoot(1280, 900, "index-1280.png")
	shoot(390, 844, "index-390.png")

	problems, requests := events.snapshot()
	for _, p := range problems {
		t.Errorf("page: %s", p)
	}
	if len(requests) == 0 {
		t.Error("saw no request at all: is the network listener working?")
	}
	for _, r := range requests {
		if !strings.HasPrefix(r, "file://") {
			t.Errorf("page requested %s: the site must not leave file://", r)
		}
	}
}

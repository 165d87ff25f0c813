package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/linyi-sti/innowatch/pipelines/schedule"
)

// TestServedSiteRunsUnderItsCSP serves the rendered sample site (with a
// bulletin) through the daemon's handler and opens its pages in Chromium:
// the Content-Security-Policy added for issue 15 item 9 must not block any
// of the site's own scripts — every chart is painted, and the browser
// reports no violation, error or exception.
func TestServedSiteRunsUnderItsCSP(t *testing.T) {
	execPath := "/usr/bin/chromium"
	if _, err := os.Stat(execPath); err != nil {
		if os.Getenv("INNOWATCH_SKIP_BROWSER") == "1" {
			t.Skip("INNOWATCH_SKIP_BROWSER=1 and no chromium")
		}
		t.Fatal("chromium not found: apt-get install -y chromium fonts-wqy-zenhei (or INNOWATCH_SKIP_BROWSER=1)")
	}
	db := freshWarehouse(t)
	site := filepath.Join(filepath.Dir(db), "site")
	if _, errOut, code := runCLI(t, "bulletin", "--db", db, "--out", site, "--month", "2020-10", "--no-pdf"); code != 0 {
		t.Fatalf("bulletin: %s", errOut)
	}
	srv := httptest.NewServer(schedule.SiteHandler(site))
	defer srv.Close()

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(execPath), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	defer cancelAlloc()
	var mu sync.Mutex
	var problems []string
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, "console.error: "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if strings.HasSuffix(ev.Entry.URL, "/favicon.ico") {
				return // the site has none; the browser asks anyway
			}
			if ev.Entry.Level == log.EntryLevelError || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				problems = append(problems, fmt.Sprintf("log %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
			}
		}
	}))
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()
	// Every chart holds a canvas (an SVG in the bulletin, which prints):
	// ECharts ran, from the page's inline script.
	const charts = `(() => {
	  const els = document.querySelectorAll(".chart");
	  if (els.length === 0) return -1;
	  for (const el of els) if (!el.querySelector("canvas, svg")) return 0;
	  return els.length;
	})()`
	for _, page := range []string{"/", "/indicators/rd_intensity.html", "/regions/371302.html", "/targets.html",
		"/methodology.html", "/bulletins/2020-10/index.html"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page)); err != nil {
			t.Fatalf("open %s: %v", page, err)
		}
		n, err := chromedp.Run(ctx, chromedp.Poll[int](charts+" || null", chromedp.WithPollingTimeout(15*time.Second)))
		if err != nil && !strings.Contains(page, "methodology") {
			t.Errorf("%s: charts not drawn under the CSP: %v", page, err)
		}
		t.Logf("%s: %d charts", page, n)
		time.Sleep(200 * time.Millisecond)
		mu.Lock()
		if len(problems) > 0 {
			t.Errorf("%s: the browser reported:\n%s", page, strings.Join(problems, "\n"))
			problems = nil
		}
		mu.Unlock()
	}
}

package bulletin

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds Chromium or fails: a missing browser must not pass
// silently. INNOWATCH_SKIP_BROWSER=1 skips instead (as in dashboards).
func chromium(t *testing.T) *Chromium {
	t.Helper()
	c, err := FindChromium()
	if err == nil {
		return c
	}
	if os.Getenv("INNOWATCH_SKIP_BROWSER") == "1" {
		t.Skip("INNOWATCH_SKIP_BROWSER=1: ", err)
	}
	t.Fatal(err, " (or set INNOWATCH_SKIP_BROWSER=1 to skip the browser tests)")
	return nil
}

// TestBrowserDrawsChartsOffline opens a bulletin from file:// in headless
// Chromium: the four charts are drawn (SVG), nothing is requested outside
// the file, and the console stays clean.
func TestBrowserDrawsChartsOffline(t *testing.T) {
	c := chromium(t)
	db := sampleWarehouse(t)
	doc, err := Generate(context.Background(), db.SQL(), month(t, "2020-10"), Meta{PublishedAt: fixedNow()})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "bulletin.html")
	if err := os.WriteFile(file, doc.HTML, 0o644); err != nil {
		t.Fatal(err)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(c.ExecPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(900, 1200),
	)
	defer cancelAlloc()
	var mu sync.Mutex
	var problems, requests []string
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				problems = append(problems, "console."+string(ev.Type))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *network.EventRequestWillBeSent:
			requests = append(requests, ev.Request.URL)
		}
	}))
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS(`body[data-charts-ready]`))); err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](`(() => {
  const out = {};
  for (const el of document.querySelectorAll(".chart")) out[el.id] = el.querySelectorAll("svg path, svg text").length;
  return out;
})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"chart_counties", "chart_cities", "chart_monthly", "chart_targets"} {
		if drawn[id] < 20 {
			t.Errorf("%s has %d SVG paths and texts: not drawn", id, drawn[id])
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("page: %s", p)
	}
	if len(requests) == 0 {
		t.Error("saw no request: is the listener working?")
	}
	for _, r := range requests {
		if !strings.HasPrefix(r, "file://") {
			t.Errorf("page requested %s: a bulletin must be self-contained", r)
		}
	}
}

func TestPublishPrintsPDF(t *testing.T) {
	c := chromium(t)
	ctx := context.Background()
	db := sampleWarehouse(t)
	res, err := Publish(ctx, db, Options{Month: month(t, "2020-03"), Now: fixedNow, Printer: c})
	if err != nil {
		t.Fatal(err)
	}
	if !res.PDF {
		t.Fatal("Publish with a printer stored no PDF")
	}
	revs := revisions(t, db, "2020-03")
	pdf := revs[0].PDF
	// Every page A4 portrait (595 × 842 points, as Chromium rounds it);
	// narrative, four charts, five tables and notes take several pages.
	pages := bytes.Count(pdf, []byte("/MediaBox"))
	a4 := bytes.Count(pdf, []byte("/MediaBox [0 0 594.95996 841.91998]"))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || pages < 3 || a4 != pages {
		t.Errorf("stored PDF: %d bytes, starts %q, %d pages of which %d A4; want an A4 PDF of 3 pages or more",
			len(pdf), pdf[:min(len(pdf), 8)], pages, a4)
	}
	site := t.TempDir()
	if err := WriteArchive(ctx, db.SQL(), site); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(site, "bulletins", "2020-03", "bulletin.pdf"))
	if err != nil || !bytes.Equal(got, pdf) {
		t.Errorf("archive bulletin.pdf: %v, equal to stored: %v", err, bytes.Equal(got, pdf))
	}
}

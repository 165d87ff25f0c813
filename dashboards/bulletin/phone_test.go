package bulletin

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// splitUnits finds, in the page's visible text, every number with its unit
// (and 以上) that the browser broke across two lines: "0.20个百分 / 点",
// "100项以 / 上". Each match's characters must sit on one line.
const splitUnits = `(() => {
  const re = /[+-]?\d[\d,.]*(?:个百分点|百分点|%|万平方米|亿元|万元|家|个|项|位)?(?:以上)?/g;
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest("svg, script, style, .chart") || el.offsetParent === null) continue;
    for (const m of n.data.matchAll(re)) {
      if (m[0].length < 2) continue;
      const r = document.createRange();
      r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
      if (tops.size > 1) out.push(m[0] + " in: " + n.data.slice(Math.max(0, m.index - 12), m.index + m[0].length + 4));
    }
  }
  return out;
})()`

// Issue 14, item 13: on a phone (390 px) the bulletin broke units from
// their numbers ("百分 / 点", "以 / 上") and squeezed the 备注 column to
// three characters. Numbers keep their units; the note column stays
// readable; the charts' axis labels do not run together.
func TestBulletinOnAPhone(t *testing.T) {
	c := chromium(t)
	db := sampleWarehouse(t)
	doc, err := Generate(context.Background(), db.SQL(), month(t, "2020-12"), Meta{PublishedAt: fixedNow()})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "bulletin.html")
	if err := os.WriteFile(file, doc.HTML, 0o644); err != nil {
		t.Fatal(err)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(c.ExecPath), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("no-first-run", true), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS(`body[data-charts-ready]`))); err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	split, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](splitUnits))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range split {
		t.Errorf("at 390 px a number is broken from its unit: %s", s)
	}
	// The 备注 column of every table: at least six characters wide.
	narrow, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll(".tables table")].map(t => {
  const th = t.querySelector("thead th:last-child");
  return th.getBoundingClientRect().width / parseFloat(getComputedStyle(th).fontSize);
}).filter(w => w < 6)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(narrow) > 0 {
		t.Errorf("at 390 px %d tables have a 备注 column under six characters wide: %v (in em)", len(narrow), narrow)
	}
	// Axis labels of the category axes do not overlap one another.
	overlaps, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
  const out = [];
  for (const svg of document.querySelectorAll(".chart svg")) {
    const texts = [...svg.querySelectorAll("text")].map(e => [e.textContent, e.getBoundingClientRect()]).filter(x => x[1].width > 0);
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i][1], b = texts[j][1];
      const ix = Math.min(a.right, b.right) - Math.max(a.left, b.left), iy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (ix > -3 && iy > 2) out.push(svg.closest(".chart").id + ": " + texts[i][0] + " / " + texts[j][0]);
    }
  }
  return out;
})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range overlaps {
		t.Errorf("at 390 px chart texts overlap: %s", o)
	}
	// Photographs to look at: the opening, a table, the charts.
	if dir := os.Getenv("INNOWATCH_ARTIFACTS"); dir != "" {
		for name, css := range map[string]string{"header": "header", "overall": "section.part", "table": ".tables .table-wrap",
			"counties": "#chart_counties", "cities": "#chart_cities", "monthly": "#chart_monthly", "targets": "#chart_targets"} {
			png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(css)))
			if err != nil {
				t.Logf("screenshot %s: %v", css, err)
				continue
			}
			p := filepath.Join(dir, "bulletin-390-"+name+".png")
			if err := os.WriteFile(p, png, 0o644); err == nil {
				t.Logf("screenshot: %s", p)
			}
		}
	}
}

package dashboards

import (
	"os"
	"testing"
)

// splitUnits lists every number whose unit (or 以上) the browser broke onto
// the next line ("0.20个百分 / 点", "100家以 / 上") in the page's text.
const splitUnits = `(() => {
  const re = /[+-]?\d[\d,.]*(?:个百分点|百分点|%|万平方米|亿元|万元|家|个|项|位)(?:以上)?|[+-]?\d[\d,.]*以上/g;
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest("svg, script, style, .chart, select, option") || el.offsetParent === null) continue;
    for (const m of n.data.matchAll(re)) {
      const r = document.createRange();
      r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
      if (tops.size > 1) out.push(m[0] + " in: " + n.data.slice(Math.max(0, m.index - 10), m.index + m[0].length + 4));
    }
  }
  return out;
})()`

// noCue lists the tables that scroll sideways without saying so.
const noCue = `[...document.querySelectorAll(".table-wrap")].filter(w => w.offsetParent !== null && w.scrollWidth > w.clientWidth + 1)
  .filter(w => !w.classList.contains("overflows") || getComputedStyle(w, "::before").content === "none").map(w => w.querySelector("table").id)`

// narrowCells lists the text cells of the data tables squeezed to a column
// under four characters wide, where a word of four or more characters then
// stands one or two characters a line (the targets table's 指标 column read
// "引进 / 转化 / 科技 / 成果").
const narrowCells = `[...document.querySelectorAll("table.data tbody td:not(.num)")].filter(td => td.offsetParent !== null)
  .filter(td => td.innerText.trim().length >= 4 && td.clientWidth < 4 * parseFloat(getComputedStyle(td).fontSize))
  .map(td => td.closest("table").id + ": " + td.innerText.trim().slice(0, 12) + " (" + td.clientWidth + " px)")`

// Issue 14, item 13: on a phone (390 px) numbers broke from their units
// ("百分 / 点", "以 / 上") and county tables scrolled sideways without a
// cue. Numbers keep their units on one line; a table that scrolls says so.
func TestBrowserPhoneKeepsUnitsAndCuesScrolling(t *testing.T) {
	if os.Getenv("INNOWATCH_SKIP_BROWSER") != "" {
		t.Skip("INNOWATCH_SKIP_BROWSER set")
	}
	_, out := render(t, fixtureOpts{sample: true}, Options{})
	b := newBrowser(t)
	for _, page := range []string{"index.html", "targets.html", "indicators/hitech_enterprises.html", "regions/371302.html"} {
		b.open(fileURL(out, page), 390)
		var split, cue []string
		eval(b, splitUnits, &split)
		for _, s := range split {
			t.Errorf("%s at 390 px: a number is broken from its unit: %s", page, s)
		}
		eval(b, noCue, &cue)
		if len(cue) > 0 {
			t.Errorf("%s at 390 px: tables %v scroll sideways without a cue", page, cue)
		}
		var narrow []string
		eval(b, narrowCells, &narrow)
		for _, c := range narrow {
			t.Errorf("%s at 390 px: a text column under four characters wide: %s", page, c)
		}
	}
	b.open(fileURL(out, "indicators/hitech_enterprises.html"), 390)
	b.shoot("phone-indicator-hitech_enterprises-390.png")
}

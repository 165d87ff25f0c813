package dashboards

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/models"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// renderSample renders the real sample warehouse after change (SQL run on
// the facts, then the real models rebuilt) and returns the site folder.
func renderSample(t *testing.T, change string) string {
	t.Helper()
	ctx := context.Background()
	db := warehouseCopy(t, "sample")
	if change != "" {
		if _, err := db.SQL().ExecContext(ctx, change); err != nil {
			t.Fatal(err)
		}
		ms, err := models.Load(sqlfiles.Models, "models")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := (&models.Builder{DB: db, Models: ms, FullRefresh: true}).Build(ctx); err != nil {
			t.Fatalf("rebuild: %v (hint: %s)", err, innowatch.HintOf(err))
		}
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, err := Render(ctx, db.SQL(), out, Options{Now: fixedNow, RequireAllMarts: true}); err != nil {
		t.Fatalf("Render: %v (hint: %s)", err, innowatch.HintOf(err))
	}
	return out
}

// Issue 14, item 3: with only the city reporting platforms at 2020-12 and
// no provincial figure, the overview said "第1位（共1市）", put the city in
// 第一梯队, coloured the counties "better than the province" and ended its
// headline in "，—". It says what is missing instead.
func TestNoRankTierOrColourWithoutPeers(t *testing.T) {
	out := renderSample(t, `DELETE FROM facts WHERE indicator = 'platforms' AND period = '2020-12'
		AND region_code IN (SELECT code FROM regions WHERE (level = 'city' AND code <> '371300') OR level = 'province')`)
	page := readFile(t, filepath.Join(out, "index.html"))
	card := page[strings.Index(page, `id="kpi-platforms"`):]
	card = card[:strings.Index(card, "</article>")]
	for _, bad := range []string{"第1位（共1市）", "1 of 1 cities"} {
		if strings.Contains(card, bad) {
			t.Errorf("the platforms card says %q:\n%s", bad, card)
		}
	}
	if !strings.Contains(card, "无可比较的单位，不排位次") {
		t.Errorf("the platforms card does not say why there is no rank:\n%s", card)
	}
	if !strings.Contains(page, "临沂市2020年12月为582个，全省数据暂缺，未作比较") || strings.Contains(page, "，—</span>") {
		t.Errorf("the platforms headline does not say the province is missing")
	}
	league := readFile(t, filepath.Join(out, "index-league-platforms.csv"))
	if _, rows, _ := strings.Cut(league, "\n"); strings.Contains(rows, "第一梯队") || !strings.Contains(rows, "仅1个城市有数据，不排位次、不分梯队") {
		t.Errorf("the league puts the lone city in a tier or says nothing:\n%s", league)
	}
	// The county bars: no provincial line, so no blue "better" or orange
	// "worse" — the neutral colour only.
	opt := chartOption(t, page, "chart_bar", "platforms")
	if strings.Contains(opt, colorAbove) || strings.Contains(opt, colorBelow) || !strings.Contains(opt, colorNeutral) {
		t.Errorf("the platforms county bars are coloured against a province that is missing:\n%s", opt)
	}
}

// chartOption is the Chinese option of a switchable chart's variant, as
// the page embeds it.
func chartOption(t *testing.T, page, id, variant string) string {
	t.Helper()
	i := strings.Index(page, `{"id":"`+id+`"`)
	if i < 0 {
		t.Fatalf("no chart %s", id)
	}
	rest := page[i:]
	j := strings.Index(rest, `"`+variant+`":{"zh":`)
	if j < 0 {
		t.Fatalf("chart %s has no variant %s", id, variant)
	}
	rest = rest[j:]
	if k := strings.Index(rest, `"en":`); k >= 0 {
		rest = rest[:k] // the Chinese option only
	}
	return rest
}

// Items 5 and 14 on the real sample: counties tied on STAR listings say
// 并列; the indicator passport prints 比较口径 once; the methodology cites
// no file that is not there; the English targets carry the unit.
func TestTiesPassportSourcesAndUnits(t *testing.T) {
	out := renderSample(t, "")
	star := readFile(t, filepath.Join(out, "indicators", "star_market_listings.html"))
	if !strings.Contains(star, "并列2/13") {
		t.Errorf("star_market_listings: the tied counties are not marked 并列")
	}
	rd := readFile(t, filepath.Join(out, "indicators", "rd_intensity.html"))
	if n := strings.Count(rd, "比较口径：与全省比率"); n != 1 {
		t.Errorf("rd_intensity prints 比较口径 %d times in the basis text, want once (the note)", n)
	}
	// Item 11: an annual indicator's change is 比上年, not 同比.
	if !strings.Contains(rd, `<span class="zh">比上年</span><span class="en">On last year</span></button>`) {
		t.Errorf("rd_intensity: the change column of an annual indicator is not headed 比上年")
	}
	if m := readFile(t, filepath.Join(out, "methodology.html")); strings.Contains(m, "DOMAIN.md") {
		t.Errorf("the methodology cites DOMAIN.md, which is not part of the site or the warehouse")
	}
	targets := readFile(t, filepath.Join(out, "targets.html"))
	for _, want := range []string{"Incubation floor area: total of 210.0 10,000 m² or more", "total of 630 or more"} {
		if !strings.Contains(targets, want) {
			t.Errorf("targets.html lacks %q", want)
		}
	}
}

// Item 6: 2016–2018 divided the provincial total by 17 cities while 16 are
// ranked. One basis per series: 16, with the note where the division differed.
func TestPerCityBasisNoted(t *testing.T) {
	out := renderSample(t, "")
	page := readFile(t, filepath.Join(out, "indicators", "hitech_enterprises.html"))
	if !strings.Contains(page, "全省市均按参与比较的16个市计算（当年全省区划为17个市，其后区划调整）") {
		t.Errorf("hitech_enterprises: the trend does not note the 16-city basis of 2016–2018")
	}
}

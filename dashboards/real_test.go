package dashboards

import (
	"context"
	"html"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/linyi-sti/innowatch"
)

// TestRenderRealWarehouse renders from a warehouse the real pipelines and
// models built from the embedded sample (warehouses_test.go), with every
// mart required: each column the pages read exists in the real marts, and
// the figures on the pages are the marts' own, read back here with SQL.
func TestRenderRealWarehouse(t *testing.T) {
	ctx := context.Background()
	db := warehouseCopy(t, "sample").SQL()
	out := filepath.Join(t.TempDir(), "site")
	res, err := Render(ctx, db, out, Options{Now: fixedNow, RequireAllMarts: true})
	if err != nil {
		t.Fatalf("Render: %v (hint: %s)", err, innowatch.HintOf(err))
	}
	// 15 indicators, 12 counties and the high-tech zone, the overview,
	// targets and methodology.
	if len(res.Pages) != 31 {
		t.Errorf("rendered %d pages, want 31: %v", len(res.Pages), res.Pages)
	}
	row := func(dest []any, q string, args ...any) {
		t.Helper()
		if err := db.QueryRowContext(ctx, q, args...).Scan(dest...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	f2 := func(v float64, d int) string { return strconv.FormatFloat(v, 'f', d, 64) }
	raw := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	wants := map[string][]string{}
	add := func(page string, s ...string) { wants[page] = append(wants[page], s...) }

	// The header: the latest period with a value, and the latest load.
	add("index.html", `<span class="zh">数据截至2020年12月</span><span class="en">Data to Dec 2020</span>`,
		`<span class="zh">更新于 </span><span class="en">Updated </span>2021-01-20 10:00`)

	// The city's R&D intensity card: value, rank among the cities.
	var v float64
	var rank, peers int
	row([]any{&v, &rank, &peers}, `SELECT value, rank, peer_count FROM county_vs_province
		WHERE region_code = '371300' AND indicator = 'rd_intensity' AND period = '2020'`)
	add("index.html", `<p class="value">`+f2(v, 2)+`<span class="unit">%</span></p>`,
		`第`+strconv.Itoa(rank)+`位（共`+strconv.Itoa(peers)+`市）`)

	// The league: the city's row with its tier as tier_cutoffs names it.
	var tier int
	var tierZh, tierEn string
	row([]any{&v, &rank, &tier, &tierZh, &tierEn}, `SELECT r.value, r.rank, r.tier, c.name_zh, c.name_en
		FROM city_ranking r JOIN tier_cutoffs c USING (tier)
		WHERE r.is_focus AND r.indicator = 'rd_intensity' AND r.period = '2020'`)
	add("indicators/rd_intensity.html", `<tr class="tier-`+strconv.Itoa(tier)+` focus"><td class="num" data-sort="`+
		strconv.Itoa(rank)+`">`+strconv.Itoa(rank)+`</td><td><span class="zh">临沂市</span><span class="en">Linyi</span></td><td class="num" data-sort="`+
		raw(v)+`">`+f2(v, 2)+`</td>`, `<span class="zh">`+tierZh+`</span><span class="en">`+tierEn+`</span>`)

	// An average of counts per county keeps a decimal: STAR-market
	// listings per county-level unit of the province.
	var prov, gap float64
	row([]any{&v, &prov, &gap}, `SELECT value, province_value, gap FROM county_vs_province
		WHERE region_code = '371302' AND indicator = 'star_market_listings' AND period = '2020-12'`)
	add("indicators/star_market_listings.html", `<td class="num" data-sort="`+raw(v)+`">`+f2(v, 0)+
		`</td><td class="num" data-sort="`+raw(prov)+`">`+f2(prov, 1)+`</td><td class="num" data-sort="`+raw(gap)+`">`)

	// 兰山区's composite index: score, index, group (index_groups), rank.
	var score, index float64
	var groupZh, groupEn string
	var year int
	row([]any{&year, &score, &index, &groupZh, &groupEn, &rank, &peers}, `SELECT x.year, x.score, x.index_vs_province,
		g.name_zh, g.name_en, x.rank, x.peer_count FROM innovation_index x JOIN index_groups g ON g.code = x.performance_group
		WHERE x.region_code = '371302' ORDER BY x.year DESC LIMIT 1`)
	add("regions/371302.html", strconv.Itoa(year)+`年创新指数为全省的`+f2(index, 1)+`（全省=100），属`+groupZh,
		`<td class="num" data-sort="`+raw(score)+`">`+f2(score, 1)+`</td><td class="num" data-sort="`+raw(index)+`">`+f2(index, 1)+
			`</td><td><span class="zh">`+groupZh+`</span><span class="en">`+groupEn+`</span></td><td class="num" data-sort="`+
			strconv.Itoa(rank)+`">`+strconv.Itoa(rank)+`/`+strconv.Itoa(peers)+`</td>`)

	// Targets: the city's latest progress on the high-tech total.
	var completion float64
	var status string
	row([]any{&completion, &status}, `SELECT completion_pct, status FROM target_progress
		WHERE region_code = '371300' AND indicator = 'hitech_enterprises' AND target_kind = 'total'
		ORDER BY as_of_period DESC LIMIT 1`)
	// A met target says 已完成 without a pace (issue 14, item 11).
	want := `高新技术企业总数达到630家以上：完成目标的` + f2(completion, 1) + `%`
	if status == "met" {
		want = `高新技术企业总数达到630家以上：已完成（完成目标的` + f2(completion, 1) + `%）`
	}
	add("targets.html", want, `<tr class="`+status+`">`)

	// The methodology prints every component of the index.
	rows, err := db.QueryContext(ctx, `SELECT label_zh FROM index_parameters`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var label string
		if err := rows.Scan(&label); err != nil {
			t.Fatal(err)
		}
		add("methodology.html", `<td>`+html.EscapeString(label)+`</td>`)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	for page, ws := range wants {
		got := readFile(t, filepath.Join(out, page))
		for _, w := range ws {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %s", page, w)
			}
		}
	}
	walkPages(t, out, func(rel, page string) {
		for _, bad := range []string{"该部分数据模型尚未构建", "NaN", "%!", "<no value>"} {
			if strings.Contains(page, bad) {
				t.Errorf("%s shows %q", rel, bad)
			}
		}
	})
}

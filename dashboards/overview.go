package dashboards

import (
	"database/sql"
	"sort"

	"github.com/linyi-sti/innowatch"
)

// overviewBody is the 总览 page: KPI cards, then one indicator (chosen in
// a switch) on the county map, the county bars, the city's trend and the
// league of the province's cities.
type overviewBody struct {
	Cards        []kpiCard
	ChangesNote  string // missing marts behind 同比 and rank change
	TargetsNote  string
	Choices      []choice
	Default      string
	Panels       []overviewPanel
	RankingNote  string
	HasLeague    bool
	ProvinceName bi
}

type choice struct {
	Code string
	Name bi
}

// kpiCard is one headline indicator for the city.
type kpiCard struct {
	Code       string
	Href       string
	Name       bi
	Period     bi
	Value      bi
	Unit       bi
	Missing    bool
	Reason     bi
	YoY        bi
	YoYLabel   bi // 同比, or 比上年 for an annual figure
	YoYClass   string
	VsProvince bi
	VsClass    string
	Rank       bi
	RankDelta  bi
	RankClass  string
	Targets    []targetMark
}

// targetMark is a target's state in one line, with its ahead/behind mark.
type targetMark struct {
	Text  bi
	Mark  bi
	Class string // met, ahead, behind, missing
}

// overviewPanel is the text around the charts for one indicator.
type overviewPanel struct {
	Code     string
	Href     string
	Name     bi
	Unit     bi
	Period   bi
	Headline bi
	Province bi
	Basis    bi
	League   *table
}

func (s *site) overview() *page {
	w := s.w
	p := &page{Kind: "overview", Path: "index.html", Section: "overview", Title: tr("page.overview"), Site: s.info, Map: w.cityMap != nil}
	body := &overviewBody{ProvinceName: w.regionName(w.province)}
	if w.missing[martChanges] {
		body.ChangesNote = "county_vs_province（yoy, rank_change）"
	}
	body.TargetsNote = w.notBuilt("target_progress")
	body.RankingNote = w.notBuilt("city_ranking")
	body.HasLeague = w.has("city_ranking")

	for _, in := range w.catalog {
		if in.Headline {
			body.Cards = append(body.Cards, s.card(in))
		}
	}
	var mapSpec, barSpec, trendSpec chartSpec
	mapSpec = chartSpec{ID: "chart_map", Group: "ov", Variants: map[string]langOptions{}}
	barSpec = chartSpec{ID: "chart_bar", Group: "ov", Variants: map[string]langOptions{}}
	trendSpec = chartSpec{ID: "chart_trend", Group: "ov", Variants: map[string]langOptions{}}
	for _, in := range w.catalog {
		if !in.hasData {
			continue
		}
		if body.Default == "" || (in.Headline && !w.indicators[body.Default].Headline) {
			body.Default = in.Code
		}
		body.Choices = append(body.Choices, choice{in.Code, in.Name})
		units := w.rows(in.Code, in.latest, "county", "zone")
		in := in
		if w.cityMap != nil {
			mapSpec.Variants[in.Code] = build(func(l string) obj { return countyMap(w, in, units, l) })
		}
		barSpec.Variants[in.Code] = build(func(l string) obj { return rankBar(w, in, units, l) })
		trendSpec.Variants[in.Code] = build(func(l string) obj { return trendChart(w, in, l) })
		panel := overviewPanel{Code: in.Code, Href: indicatorPath(in.Code), Name: in.Name, Unit: unitName(in.Unit), Period: periodText(in.latest, in.Flow),
			Basis: basisText(in)}
		if city := w.comparison(w.city, in.Code, in.latest); city != nil {
			panel.Headline = headline(w, in, city)
		}
		if len(units) > 0 && units[0].Province.Valid {
			panel.Province = provinceLabel(in, "county", units[0].Province.Float64)
		}
		if body.HasLeague {
			if league := s.cityRows(in, in.latest); len(league) > 0 {
				panel.League = p.addTable(s.leagueTable(in, league, "league-"+in.Code, "league-"+in.Code+".csv"))
			}
		}
		body.Panels = append(body.Panels, panel)
	}
	for _, spec := range []*chartSpec{&mapSpec, &barSpec, &trendSpec} {
		spec.Default = body.Default
	}
	p.Charts = []chartSpec{barSpec, trendSpec}
	if w.cityMap != nil {
		p.Charts = []chartSpec{mapSpec, barSpec, trendSpec}
	}
	p.Body = body
	return p
}

// card builds a headline indicator's KPI card for the city.
func (s *site) card(in *indicator) kpiCard {
	w := s.w
	k := kpiCard{Code: in.Code, Href: indicatorPath(in.Code), Name: in.Name, YoYLabel: tr("kpi.yoy")}
	if in.Frequency == "annual" {
		k.YoYLabel = tr("kpi.yoyAnnual")
	}
	if !in.hasData {
		k.Missing, k.Value, k.Reason, k.Period = true, same(dash), tr("missing.noData"), same(dash)
		return k
	}
	k.Period = periodText(in.latest, in.Flow)
	c := w.comparison(w.city, in.Code, in.latest)
	if c == nil || !c.Value.Valid {
		k.Missing, k.Value = true, same(dash)
		k.Reason = tr("missing.notReported")
		if c != nil && c.Reason.Valid && c.Reason.String != "" {
			k.Reason = same(c.Reason.String)
		}
		return k
	}
	num, unit := compact(c.Value.Float64, in.Decimals, in.Unit)
	k.Value, k.Unit = num, unit
	k.YoY, k.YoYClass = change(c.YoY, c.YoYUnit, in.Decimals)
	k.VsProvince, k.VsClass = vsProvince(in, c)
	switch {
	case c.Rank.Valid && c.Tied:
		k.Rank = tf("kpi.rankTied", c.Rank.Int64, c.Peers.Int64)
	case c.Rank.Valid:
		k.Rank = tf("kpi.rank", c.Rank.Int64, c.Peers.Int64)
	case c.RankNote.Valid:
		k.Rank = tr("rank.noPeers") // not "1/1": no other city has data
	default:
		k.Rank = same(dash)
	}
	k.RankDelta, k.RankClass, _ = rankChangeText(c.RankDelta, c.Rank, c.ChangeNote)
	for _, t := range s.latestTargets(w.city, in.Code) {
		k.Targets = append(k.Targets, mark(t, in))
	}
	return k
}

// vsProvince says where a value stands against the province: the gap in
// 百分点 for a ratio, the index (province = 100) for a per-unit comparison.
func vsProvince(in *indicator, c *comparison) (bi, string) {
	if !c.Value.Valid || !c.Province.Valid {
		return same(dash), "na"
	}
	class := "down"
	if c.Above.Valid && c.Above.Bool {
		class = "up"
	}
	if in.Basis == "ratio" {
		rounded := formatNumber(abs(c.Gap.Float64), in.Decimals)
		switch {
		case rounded == formatNumber(0, in.Decimals):
			return tr("vs.level"), "flat"
		case c.Gap.Float64 > 0:
			return tf("vs.above", rounded), class
		default:
			return tf("vs.below", rounded), class
		}
	}
	if !c.Index.Valid {
		return same(dash), "na"
	}
	key := "vs.indexCounty"
	if c.Level == "city" {
		key = "vs.indexCity"
	}
	return tf(key, formatNumber(c.Index.Float64, 1)), class
}

// headline states where the city stands against the province in words.
func headline(w *warehouse, in *indicator, city *comparison) bi {
	if !city.Value.Valid {
		reason := tr("missing.notReported")
		if city.Reason.Valid && city.Reason.String != "" {
			reason = same(city.Reason.String)
		}
		return tf("headline.missing", w.regionName(w.city), periodText(city.Period, in.Flow), reason)
	}
	vs, _ := vsProvince(in, city)
	if !city.Province.Valid {
		vs = tr("vs.noProvince") // not a trailing "，—"
	}
	return tf("headline", w.regionName(w.city), periodText(city.Period, in.Flow),
		withUnit(city.Value.Float64, in.Decimals, in.Unit), vs)
}

// basisText is the comparison basis as printed next to the figures.
func basisText(in *indicator) bi {
	if in.Basis == "ratio" {
		return tr("basis.ratio")
	}
	return tr("basis.perUnit")
}

// cityRows are the province's cities for one indicator and period, by rank.
func (s *site) cityRows(in *indicator, p innowatch.Period) []*cityRank {
	var out []*cityRank
	for _, r := range s.w.ranking {
		if r.Indicator == in.Code && r.Period == p {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Rank.Valid != b.Rank.Valid {
			return a.Rank.Valid
		}
		if a.Rank.Valid && a.Rank.Int64 != b.Rank.Int64 {
			return a.Rank.Int64 < b.Rank.Int64
		}
		return a.Region < b.Region
	})
	return out
}

// leagueTable is the province's cities with tier bands: the tier's name
// opens its band, the focus city is highlighted.
func (s *site) leagueTable(in *indicator, rows []*cityRank, id, csvName string) *table {
	w := s.w
	t := &table{ID: id, CSV: csvName, Caption: tf("league.caption", in.Name, periodText(rows[0].Period, in.Flow)),
		Columns: []column{{Name: tr("col.rank"), Num: true}, {Name: tr("col.city")},
			{Name: tr("col.value").plus(unitSuffix(in.Unit)), Num: true}, {Name: tr("col.rankChange"), Num: true},
			{Name: tr("col.tier")}, {Name: tr("col.gapFirstTier"), Num: true}}}
	lastTier := int64(-1)
	for _, r := range rows {
		row := tableRow{Class: "tier-none"}
		if r.Tier.Valid {
			row.Class = "tier-" + itoa(r.Tier.Int64)
			if r.Tier.Int64 != lastTier {
				row.Class += " tier-start"
				lastTier = r.Tier.Int64
			}
		}
		if r.Focus.Valid && r.Focus.Bool {
			row.Class += " focus"
		}
		delta, cls, why := rankChangeText(r.Change, r.Rank, r.ChangeNote)
		value := cell{Text: same(dash), Class: "num missing"}
		if r.Value.Valid {
			value = numCell(formatNumber(r.Value.Float64, in.Decimals), rawNumber(r.Value))
		}
		rank, noRank := rankText(r.Rank, sql.NullInt64{}, r.Tied, r.RankNote)
		tier := textCell(w.tierName(r))
		if !r.Tier.Valid && r.TierNote.Valid {
			tier.Reason = same(r.TierNote.String)
		}
		row.Cells = []cell{
			{Text: rank, Class: "num", Sort: itoaNull(r.Rank), Raw: itoaNull(r.Rank), Reason: noRank},
			textCell(w.name(r.Region, r.Name)),
			value,
			{Text: delta, Class: "num " + cls, Sort: itoaNull(r.Change), Raw: itoaNull(r.Change), Reason: why},
			tier,
			distanceCell(r.GapFirst, in.Decimals),
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// tierName is a city's tier in both languages, from tier_cutoffs; the
// mart's name when the tier is not declared.
func (w *warehouse) tierName(r *cityRank) bi {
	if r.Tier.Valid {
		if n, ok := w.tierNames[r.Tier.Int64]; ok {
			return n
		}
	}
	if !r.TierName.Valid || r.TierName.String == "" {
		return same(dash)
	}
	return same(r.TierName.String)
}

// gapCell is a signed difference, or the dash (inside the first tier).
func gapCell(v sql.NullFloat64, decimals int) cell {
	if !v.Valid {
		return cell{Text: same(dash), Class: "num"}
	}
	return numCell(formatSigned(v.Float64, decimals), rawNumber(v))
}

// distanceCell is an unsigned distance (to the first tier), or the dash
// inside the first tier.
func distanceCell(v sql.NullFloat64, decimals int) cell {
	if !v.Valid {
		return cell{Text: same(dash), Class: "num"}
	}
	return numCell(formatNumber(v.Float64, decimals), rawNumber(v))
}

// unitSuffix is "（%）" after a column name.
func unitSuffix(unit string) bi {
	u := unitName(unit)
	if u.Zh == "" {
		return bi{}
	}
	en := ""
	if u.En != "" {
		en = " (" + u.En + ")"
	}
	return bi{"（" + u.Zh + "）", en}
}

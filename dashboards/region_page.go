package dashboards

import (
	"strconv"

	"github.com/linyi-sti/innowatch"
)

// regionBody is one county's or zone's page: its profile against the
// province (radar), every indicator's value, gap and rank, its trends,
// its targets and its composite index.
type regionBody struct {
	Level        bi
	Indicators   *table
	RadarMissing []bi // indicators left off the radar: no index
	HasRadar     bool
	HasTrend     bool
	Targets      []targetMark
	TargetsNote  string
	ChangesNote  string
	Index        *table
	Components   *table
	IndexNote    string
	IndexSummary bi
}

func (s *site) regionPage(g regionRef) *page {
	w := s.w
	name := w.name(g.Code, g.Name)
	p := &page{Kind: "region", Path: regionPath(g.Code), Root: "../", Section: "regions", Title: name, Site: s.info}
	b := &regionBody{Level: tr("level." + g.Level)}
	p.Lead = tf("region.lead", b.Level, w.regionName(w.city))
	if w.missing[martChanges] {
		b.ChangesNote = "county_vs_province（yoy, rank_change）"
	}

	t := &table{ID: "indicators", CSV: "indicators.csv", Caption: tf("region.tableCaption", name),
		Note: tr("region.tableNote"),
		Columns: []column{{Name: tr("col.indicator")}, {Name: tr("col.period")}, {Name: tr("col.value"), Num: true},
			{Name: tr("col.unit")}, {Name: tr("col.provinceCompare"), Num: true}, {Name: tr("col.gap"), Num: true},
			{Name: tr("col.index"), Num: true}, {Name: tr("col.rank"), Num: true}}}
	changes := !w.missing[martChanges]
	if changes {
		// Rows mix annual and monthly figures: both words.
		t.Columns = append(t.Columns, column{Name: tr("col.rankChange"), Num: true}, column{Name: tr("col.yoyMixed"), Num: true})
	}
	var axes []radarAxis
	var headlines []*indicator
	for _, in := range w.catalog {
		if !in.hasData {
			continue
		}
		c := w.comparison(g.Code, in.Code, in.latest)
		if c == nil {
			continue
		}
		if in.Headline && hasIndex(w.series(g.Code, in.Code)) {
			headlines = append(headlines, in)
		}
		// The radar shows what leaders compare; a ratio's parts are sizes
		// (GDP, output) and are in the table only.
		if !in.partOf {
			if c.Index.Valid {
				axes = append(axes, radarAxis{Name: in.Name, Index: c.Index.Float64})
			} else {
				b.RadarMissing = append(b.RadarMissing, in.Name)
			}
		}
		row := tableRow{Cells: []cell{
			{Text: in.Name, Href: "../" + indicatorPath(in.Code)},
			{Text: periodText(c.Period, in.Flow), Sort: c.Period.String(), Raw: c.Period.String()},
		}}
		if c.Value.Valid {
			row.Cells = append(row.Cells, numCell(formatNumber(c.Value.Float64, in.Decimals), rawNumber(c.Value)))
		} else {
			row.Cells = append(row.Cells, missingCell(nullReason(c.Reason.String)))
		}
		row.Cells = append(row.Cells, textCell(unitName(in.Unit)),
			numCell(nullNumber(c.Province, in.compDecimals()), rawNumber(c.Province)), gapCell(c.Gap, in.compDecimals()))
		if c.Index.Valid {
			row.Cells = append(row.Cells, numCell(formatNumber(c.Index.Float64, 1), rawNumber(c.Index)))
		} else {
			row.Cells = append(row.Cells, cell{Text: same(dash), Class: "num"})
		}
		row.Cells = append(row.Cells, c.rankCell())
		if changes {
			delta, cls, why := rankChangeText(c.RankDelta, c.Rank, c.ChangeNote)
			yoy, ycls := change(c.YoY, c.YoYUnit, in.Decimals)
			row.Cells = append(row.Cells, cell{Text: delta, Class: "num " + cls, Sort: itoaNull(c.RankDelta), Raw: itoaNull(c.RankDelta), Reason: why},
				cell{Text: yoy, Class: "num " + ycls, Sort: rawNumber(c.YoY), Raw: changeRaw(c.YoY, c.YoYUnit, in.Decimals)})
		}
		t.Rows = append(t.Rows, row)
	}
	b.Indicators = p.addTable(t)
	if len(axes) >= 3 {
		b.HasRadar = true
		p.Charts = append(p.Charts, single("chart_radar", func(l string) obj { return radarChart(name, axes, l) }))
	}
	if len(headlines) > 0 {
		b.HasTrend = true
		p.Charts = append(p.Charts, single("chart_index_trend", func(l string) obj { return indexTrend(w, g.Code, headlines, l) }))
	}

	if w.has("target_progress") {
		for _, tg := range s.latestTargets(g.Code, "") {
			if in := w.indicators[tg.Indicator]; in != nil {
				b.Targets = append(b.Targets, mark(tg, in))
			}
		}
	} else {
		b.TargetsNote = "target_progress"
	}
	s.regionIndex(p, b, g)
	p.Body = b
	return p
}

// regionIndex adds the composite index: the region's score by year and
// the components of the latest year.
func (s *site) regionIndex(p *page, b *regionBody, g regionRef) {
	w := s.w
	if note := w.notBuilt("innovation_index", "innovation_index_components"); note != "" {
		b.IndexNote = note
		return
	}
	t := &table{ID: "index", CSV: "index.csv", Caption: tr("index.caption"),
		Columns: []column{{Name: tr("col.year")}, {Name: tr("col.score"), Num: true}, {Name: tr("col.indexVsProvince"), Num: true},
			{Name: tr("col.group")}, {Name: tr("col.rank"), Num: true}, {Name: tr("col.components"), Num: true}}}
	latest := 0
	for _, x := range w.index {
		if x.Region != g.Code {
			continue
		}
		latest = x.Year
		group := w.groupName(x)
		year := strconv.Itoa(x.Year)
		score := numCell(nullNumber(x.Score, 1), rawNumber(x.Score))
		if !x.Score.Valid {
			score = missingCell(nullReason(x.Reason.String))
		}
		t.Rows = append(t.Rows, tableRow{Cells: []cell{
			{Text: same(year), Sort: year, Raw: year},
			score,
			numCell(nullNumber(x.Index, 1), rawNumber(x.Index)),
			textCell(group),
			numCell(rankOf(x.Rank, x.Peers), itoaNull(x.Rank)),
			numCell(itoaNull(x.Components), itoaNull(x.Components)),
		}})
		if x.Index.Valid {
			b.IndexSummary = tf("index.summary", x.Year, formatNumber(x.Index.Float64, 1), group)
		}
	}
	if len(t.Rows) == 0 {
		b.IndexNote = ""
		return
	}
	b.Index = p.addTable(t)
	c := &table{ID: "components", CSV: "components.csv", Caption: tf("components.caption", latest),
		Columns: []column{{Name: tr("col.indicator")}, {Name: tr("col.period")}, {Name: tr("col.raw"), Num: true},
			{Name: tr("col.used"), Num: true}, {Name: tr("col.normalised"), Num: true}, {Name: tr("col.weight"), Num: true}}}
	for _, x := range w.components {
		if x.Region != g.Code || x.Year != latest {
			continue
		}
		name, decimals, flow := same(x.Indicator), 2, false
		if in := w.indicators[x.Indicator]; in != nil {
			name, decimals, flow = in.Name, in.Decimals, in.Flow
		}
		period := cell{Text: same(dash)}
		if x.Period.Valid {
			if p, err := innowatch.ParsePeriod(x.Period.String); err == nil {
				period = cell{Text: periodText(p, flow), Sort: p.String(), Raw: p.String()}
			}
		}
		raw := numCell(nullNumber(x.Raw, decimals), rawNumber(x.Raw))
		if !x.Raw.Valid {
			raw = missingCell(nullReason(x.Reason.String))
		}
		c.Rows = append(c.Rows, tableRow{Cells: []cell{textCell(name), period, raw,
			numCell(nullNumber(x.Intensity, 2), rawNumber(x.Intensity)),
			numCell(nullNumber(x.Normalised, 3), rawNumber(x.Normalised)),
			numCell(nullNumber(x.Weight, decimalsOf(x.Weight.Float64)), rawNumber(x.Weight))}})
	}
	b.Components = p.addTable(c)
}

// groupName is an index row's performance group in both languages, from
// index_groups; the mart's Chinese name when the group is not declared.
func (w *warehouse) groupName(x *indexRow) bi {
	if g, ok := w.groupNames[x.Group.String]; ok && x.Group.Valid {
		return g
	}
	if x.GroupZh.Valid {
		return same(x.GroupZh.String)
	}
	return same(dash)
}

// hasIndex reports whether a series has an index against the province.
func hasIndex(series []*comparison) bool {
	for _, c := range series {
		if c.Index.Valid {
			return true
		}
	}
	return false
}

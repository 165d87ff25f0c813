package dashboards

import (
	"sort"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// indicatorBody is one indicator's page: what it is, the counties against
// the province, the city's trend, the months of this year against last
// year, and the province's cities.
type indicatorBody struct {
	Facts       []fact
	Headline    bi
	Units       *table
	Trend       *table
	Months      *table
	MonthBars   *table
	MonthsNote  string // monthly_values not built
	League      *table
	LeagueNote  string
	ChangesNote string
	Monthly     bool
	Flow        bool
	NoData      bool // no county, zone or city value yet: the passport only
}

// fact is one line of the indicator's passport.
type fact struct {
	Label bi
	Value bi
}

func (s *site) indicatorPage(in *indicator) *page {
	w := s.w
	p := &page{Kind: "indicator", Path: indicatorPath(in.Code), Root: "../", Section: "indicators",
		Title: in.Name, Lead: in.Definition, Site: s.info}
	b := &indicatorBody{Facts: s.facts(in), Monthly: in.Frequency == "monthly", Flow: in.Flow}
	p.Body = b
	if !in.hasData {
		b.NoData = true
		return p
	}
	if city := w.comparison(w.city, in.Code, in.latest); city != nil {
		b.Headline = headline(w, in, city)
	}
	if w.missing[martChanges] {
		b.ChangesNote = "county_vs_province（yoy, rank_change）"
	}
	units := w.rows(in.Code, in.latest, "county", "zone")
	b.Units = p.addTable(s.unitsTable(in, in.latest, units))
	p.Charts = append(p.Charts, single("chart_bar", func(l string) obj { return rankBar(w, in, units, l) }))

	b.Trend = p.addTable(s.trendTable(in))
	p.Charts = append(p.Charts, single("chart_trend", func(l string) obj { return trendChart(w, in, l) }))

	if b.Monthly && !in.latest.Annual() {
		b.Months = p.addTable(s.monthsTable(in))
		p.Charts = append(p.Charts, single("chart_months", func(l string) obj { return ytdChart(w, in, l) }))
		if in.Flow {
			if w.has("monthly_values") {
				b.MonthBars = p.addTable(s.monthBarsTable(in))
				p.Charts = append(p.Charts, single("chart_month_bars", func(l string) obj { return monthBars(w, in, l) }))
			} else {
				b.MonthsNote = "monthly_values"
			}
		}
	}
	if w.has("city_ranking") {
		if league := s.cityRows(in, in.latest); len(league) > 0 {
			b.League = p.addTable(s.leagueTable(in, league, "league", "cities.csv"))
			p.Charts = append(p.Charts, single("chart_league", func(l string) obj { return cityBar(w, in, league, l) }))
		}
	} else {
		b.LeagueNote = "city_ranking"
	}
	p.Body = b
	return p
}

// facts is the indicator's passport: unit, kind, frequency, direction,
// basis, formula, sources, latest period, status.
func (s *site) facts(in *indicator) []fact {
	w := s.w
	freq := tr("freq." + in.Frequency)
	if in.Frequency == "monthly" {
		if in.Flow {
			freq = freq.plus(tr("freq.ytd"))
		} else {
			freq = freq.plus(tr("freq.stock"))
		}
	}
	out := []fact{
		{tr("fact.code"), same(in.Code)},
		{tr("fact.unit"), unitName(in.Unit)},
		{tr("fact.kind"), tr("kind." + in.Kind)},
		{tr("fact.frequency"), freq},
		{tr("fact.better"), tr("better." + in.Better)},
		// The label already says 比较口径: the text without its prefix
		// (issue 14, item 14: it was printed twice).
		{tr("fact.basis"), bi{strings.TrimPrefix(basisText(in).Zh, "比较口径："), strings.TrimPrefix(basisText(in).En, "Basis: ")}},
	}
	if in.Numerator != "" {
		out = append(out, fact{tr("fact.formula"), formula(w, in)})
	}
	out = append(out, fact{tr("fact.sources"), sourcesText(w, in)})
	if in.hasData {
		out = append(out, fact{tr("fact.latest"), periodText(in.latest, in.Flow)})
	}
	return out
}

// formula is numerator ÷ denominator × scale, in the indicators' names.
func formula(w *warehouse, in *indicator) bi {
	num, den := w.indicators[in.Numerator], w.indicators[in.Denominator]
	if num == nil || den == nil {
		return same(in.Numerator + " ÷ " + in.Denominator)
	}
	f := num.Name.plus(same(" ÷ "), den.Name)
	if in.Scale.Valid && in.Scale.Float64 != 1 {
		f = f.plus(same(" × " + formatNumber(in.Scale.Float64, 0)))
	}
	return f
}

// sourcesText lists the files behind an indicator (its parts' for a ratio
// computed from them).
func sourcesText(w *warehouse, in *indicator) bi {
	codes := []string{in.Code, in.Numerator, in.Denominator}
	seen := map[string]bool{}
	var names []string
	for _, s := range w.sources {
		for _, c := range codes {
			if c != "" && s.Indicator == c && !seen[s.Source] {
				seen[s.Source] = true
				names = append(names, s.Source)
			}
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return same(dash)
	}
	out := same(strings.Join(names, "、"))
	if in.Numerator != "" {
		out = out.plus(tr("fact.computedFromParts"))
	}
	return out
}

// unitsTable lists the city, its counties and zones against the province.
func (s *site) unitsTable(in *indicator, p innowatch.Period, units []*comparison) *table {
	w := s.w
	t := &table{ID: "units", CSV: "units.csv", Caption: tf("units.caption", in.Name, periodText(p, in.Flow)),
		Note: basisText(in).plus(same(" "), tr("units.note")),
		Columns: []column{{Name: tr("col.region")}, {Name: tr("col.value").plus(unitSuffix(in.Unit)), Num: true},
			{Name: provinceColumn(in), Num: true}, {Name: tr("col.gap").plus(bi{"（" + gapUnit(in.Unit).Zh + "）", " (" + gapUnit(in.Unit).En + ")"}), Num: true},
			{Name: tr("col.index"), Num: true}, {Name: tr("col.rank"), Num: true}}}
	changes := !w.missing[martChanges]
	if changes {
		// An annual figure changes 比上年, a month's 同比 (issue 14, item 11).
		yoy := tr("col.yoy")
		if in.Frequency == "annual" {
			yoy = tr("col.yoyAnnual")
		}
		t.Columns = append(t.Columns, column{Name: tr("col.rankChange"), Num: true}, column{Name: yoy, Num: true})
	}
	rows := units
	if city := w.comparison(w.city, in.Code, p); city != nil {
		rows = append([]*comparison{city}, units...)
	}
	for _, c := range rows {
		row := tableRow{Class: c.Level}
		name := cell{Text: w.name(c.Region, c.Name)}
		if c.Level != "city" {
			name.Href = "../" + regionPath(c.Region)
		}
		row.Cells = append(row.Cells, name)
		if c.Value.Valid {
			row.Cells = append(row.Cells, numCell(formatNumber(c.Value.Float64, in.Decimals), rawNumber(c.Value)))
		} else {
			reason := bi{}
			if c.Reason.Valid {
				reason = same(c.Reason.String)
			}
			row.Cells = append(row.Cells, missingCell(reason))
		}
		row.Cells = append(row.Cells, numCell(nullNumber(c.Province, in.compDecimals()), rawNumber(c.Province)), gapCell(c.Gap, in.compDecimals()))
		if c.Index.Valid {
			row.Cells = append(row.Cells, numCell(formatNumber(c.Index.Float64, 1), rawNumber(c.Index)))
		} else {
			row.Cells = append(row.Cells, cell{Text: same(dash), Class: "num"})
		}
		rank := c.rankCell()
		if c.Level == "city" && c.Rank.Valid {
			rank.Text = tf("rank.amongCities", rank.Text)
		}
		row.Cells = append(row.Cells, rank)
		if changes {
			delta, cls, why := rankChangeText(c.RankDelta, c.Rank, c.ChangeNote)
			yoy, ycls := change(c.YoY, c.YoYUnit, in.Decimals)
			row.Cells = append(row.Cells, cell{Text: delta, Class: "num " + cls, Sort: itoaNull(c.RankDelta), Raw: itoaNull(c.RankDelta), Reason: why},
				cell{Text: yoy, Class: "num " + ycls, Sort: rawNumber(c.YoY), Raw: changeRaw(c.YoY, c.YoYUnit, in.Decimals)})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// rankCell is a comparison's rank: "3/13", "并列2/13", or the dash with
// the reason when there is no peer to rank against.
func (c *comparison) rankCell() cell {
	text, why := rankText(c.Rank, c.Peers, c.Tied, c.RankNote)
	return cell{Text: text, Class: "num", Sort: itoaNull(c.Rank), Raw: itoaNull(c.Rank), Reason: why}
}

// provinceColumn names the province's comparison value by its basis.
func provinceColumn(in *indicator) bi {
	if in.Basis == "per_unit" {
		return tr("col.provinceAvg")
	}
	return tr("col.province")
}

// trendTable is the city's trend chart as a table.
func (s *site) trendTable(in *indicator) *table {
	w := s.w
	t := &table{ID: "trend", CSV: "trend.csv", Caption: tf("trend.caption", w.regionName(w.city), in.Name),
		Columns: []column{{Name: tr("col.period")}, {Name: w.regionName(w.city), Num: true},
			{Name: provinceColumn(in), Num: true}, {Name: tr("col.gap"), Num: true}, {Name: tr("col.rankCities"), Num: true}}}
	series := w.series(w.city, in.Code)
	want := map[innowatch.Period]bool{}
	for _, p := range trendPeriods(series) {
		want[p] = true
	}
	for _, c := range series {
		if !want[c.Period] {
			continue
		}
		value := numCell(nullNumber(c.Value, in.Decimals), rawNumber(c.Value))
		if !c.Value.Valid {
			value = missingCell(nullReason(c.Reason.String))
		}
		// One basis per series (issue 14, item 6): where the province's
		// division differed (17 cities before 2019), the note says so.
		province := numCell(nullNumber(c.Province, in.compDecimals()), rawNumber(c.Province))
		if c.BasisNote.Valid {
			province.Reason = same(c.BasisNote.String)
		}
		t.Rows = append(t.Rows, tableRow{Cells: []cell{
			{Text: periodText(c.Period, in.Flow), Sort: c.Period.String(), Raw: c.Period.String()},
			value,
			province,
			gapCell(c.Gap, in.compDecimals()),
			c.rankCell(),
		}})
	}
	return t
}

func nullReason(s string) bi {
	if s == "" {
		return bi{}
	}
	return same(s)
}

// monthsTable is the month-by-month chart as a table: the latest year and
// the one before.
func (s *site) monthsTable(in *indicator) *table {
	w := s.w
	year := in.latest.Year
	t := &table{ID: "months", CSV: "months.csv", Caption: tf("months.caption", w.regionName(w.city), in.Name),
		Columns: []column{{Name: tr("col.month")}, {Name: tf("chart.year", year-1), Num: true}, {Name: tf("chart.year", year), Num: true}}}
	vals := map[innowatch.Period]*comparison{}
	for _, c := range w.series(w.city, in.Code) {
		vals[c.Period] = c
	}
	for m := 1; m <= 12; m++ {
		row := tableRow{Cells: []cell{{Text: bi{itoa(int64(m)) + "月", monthsEn[m-1]}, Sort: itoa(int64(m)), Raw: itoa(int64(m))}}}
		for _, y := range []int{year - 1, year} {
			c := vals[innowatch.Period{Year: y, Month: m}]
			switch {
			case c == nil:
				row.Cells = append(row.Cells, cell{Text: same(dash), Class: "num"})
			case !c.Value.Valid:
				row.Cells = append(row.Cells, missingCell(nullReason(c.Reason.String)))
			default:
				row.Cells = append(row.Cells, numCell(formatNumber(c.Value.Float64, in.Decimals), rawNumber(c.Value)))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// monthBarsTable is the single-month chart as a table (monthly_values).
func (s *site) monthBarsTable(in *indicator) *table {
	w := s.w
	year := in.latest.Year
	t := &table{ID: "month-values", CSV: "month-values.csv", Caption: tf("monthValues.caption", w.regionName(w.city), in.Name),
		Columns: []column{{Name: tr("col.month")}, {Name: tf("chart.year", year-1), Num: true}, {Name: tf("chart.year", year), Num: true}}}
	vals := map[innowatch.Period]*monthRow{}
	for _, r := range w.monthly {
		if r.Indicator == in.Code {
			vals[r.Period] = r
		}
	}
	for m := 1; m <= 12; m++ {
		row := tableRow{Cells: []cell{{Text: bi{itoa(int64(m)) + "月", monthsEn[m-1]}, Sort: itoa(int64(m)), Raw: itoa(int64(m))}}}
		for _, y := range []int{year - 1, year} {
			r := vals[innowatch.Period{Year: y, Month: m}]
			if r == nil || !r.Month.Valid {
				row.Cells = append(row.Cells, cell{Text: same(dash), Class: "num"})
				continue
			}
			row.Cells = append(row.Cells, numCell(formatNumber(r.Month.Float64, in.Decimals), rawNumber(r.Month)))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

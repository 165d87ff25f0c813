package dashboards

import (
	"strconv"
)

// The methodology page's tables of method parameters: tier cut-offs and
// the composite index's components, settings and groups, printed from the
// tables the models read (tier_cutoffs, index_parameters, index_settings,
// index_groups), so the page always says what the marts were built with.

// tiersTable lists the tiers with the ranks each takes.
func (s *site) tiersTable() *table {
	t := &table{ID: "tiers", Caption: tr("method.tiers"),
		Columns: []column{{Name: tr("col.tier"), Num: true}, {Name: tr("col.name")}, {Name: tr("col.ranks")}}}
	first := int64(1)
	for _, x := range s.w.tiers {
		tier := itoa(x.Tier)
		ranks := tf("ranks.rest", first)
		if x.MaxRank.Valid {
			ranks = same(itoa(first) + "–" + itoa(x.MaxRank.Int64))
			if x.MaxRank.Int64 == first {
				ranks = same(itoa(first))
			}
			first = x.MaxRank.Int64 + 1
		}
		t.Rows = append(t.Rows, tableRow{Cells: []cell{numCell(tier, tier), textCell(x.Name), textCell(ranks)}})
	}
	return t
}

// paramsTable lists the index's components: weight, transform and the
// intensity each count or amount is turned into.
func (s *site) paramsTable() *table {
	w := s.w
	t := &table{ID: "index-parameters", CSV: "index-parameters.csv", Caption: tr("method.params"),
		Columns: []column{{Name: tr("col.indicator")}, {Name: tr("col.measure")}, {Name: tr("col.weight"), Num: true},
			{Name: tr("col.transform")}, {Name: tr("col.intensity")}, {Name: tr("col.note")}}}
	for _, x := range w.params {
		name := cell{Text: same(x.Indicator)}
		if in := w.indicators[x.Indicator]; in != nil {
			name = cell{Text: in.Name, Href: indicatorPath(in.Code)}
		}
		intensity := same(dash)
		if x.PerIndicator.Valid {
			per := same(x.PerIndicator.String)
			if in := w.indicators[x.PerIndicator.String]; in != nil {
				per = in.Name
			}
			intensity = same("÷ ").plus(per)
			if x.PerScale.Valid {
				intensity = intensity.plus(same(" × " + formatNumber(x.PerScale.Float64, decimalsOf(x.PerScale.Float64))))
			}
		}
		note := same(dash)
		if x.Note.Valid && x.Note.String != "" {
			note = same(x.Note.String)
		}
		transform := same(x.Transform)
		if m, ok := messages["transform."+x.Transform]; ok {
			transform = m
		}
		weight := formatNumber(x.Weight, decimalsOf(x.Weight))
		t.Rows = append(t.Rows, tableRow{Cells: []cell{name, textCell(same(x.Label)),
			numCell(weight, strconv.FormatFloat(x.Weight, 'f', -1, 64)), textCell(transform), textCell(intensity), textCell(note)}})
	}
	return t
}

// settingsTable is the normalisation window and the coverage rule.
func (s *site) settingsTable() *table {
	t := &table{ID: "index-settings", Caption: tr("method.settings"),
		Columns: []column{{Name: tr("col.parameter")}, {Name: tr("col.setting")}}}
	x := s.w.settings
	if x == nil {
		return t
	}
	last := tr("settings.latest")
	if x.LastYear.Valid {
		last = same(itoa(x.LastYear.Int64))
	}
	share := formatNumber(x.MinWeightShare*100, decimalsOf(x.MinWeightShare*100)) + "%"
	t.Rows = []tableRow{
		{Cells: []cell{textCell(tr("settings.window")), textCell(same(strconv.Itoa(x.FirstYear) + " – ").plus(last))}},
		{Cells: []cell{textCell(tr("settings.coverage")), textCell(same(share))}},
	}
	return t
}

// groupsTable is the performance groups with their index ranges, from the
// highest group down: [min, next higher min).
func (s *site) groupsTable() *table {
	t := &table{ID: "index-groups", Caption: tr("method.groups"),
		Columns: []column{{Name: tr("col.group")}, {Name: tr("col.indexRange")}}}
	var upper string
	for _, g := range s.w.groups {
		var r bi
		switch {
		case g.MinIndex.Valid && upper == "":
			r = same("≥ " + formatNumber(g.MinIndex.Float64, decimalsOf(g.MinIndex.Float64)))
		case g.MinIndex.Valid:
			r = same(formatNumber(g.MinIndex.Float64, decimalsOf(g.MinIndex.Float64)) + " – " + upper)
		case upper != "":
			r = same("< " + upper)
		default:
			r = tr("group.all")
		}
		if g.MinIndex.Valid {
			upper = formatNumber(g.MinIndex.Float64, decimalsOf(g.MinIndex.Float64))
		}
		t.Rows = append(t.Rows, tableRow{Cells: []cell{textCell(g.Name), textCell(r)}})
	}
	return t
}

// decimalsOf is the number of decimals a parameter needs, up to 4: 1 → 0,
// 0.5 → 1, 0.25 → 2.
func decimalsOf(v float64) int {
	for d := 0; d < 4; d++ {
		if roundTo(v, d) == v {
			return d
		}
	}
	return 4
}

package dashboards

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/models"
)

// methodBody is the 方法与数据 page.
type methodBody struct {
	Dictionary *table
	UnitCounts *table
	Tiers      *table
	Params     *table
	Settings   *table
	Groups     *table
	Sources    *table
	Loads      *table
	Freshness  *table
	Models     *table
	HasLineage bool
}

func (s *site) methodPage() *page {
	w := s.w
	p := &page{Kind: "method", Path: "methodology.html", Section: "method", Title: tr("page.method"), Lead: tr("method.lead"), Site: s.info}
	b := &methodBody{}
	p.Body = b

	d := &table{ID: "dictionary", CSV: "dictionary.csv", Caption: tr("method.dictionary"),
		Columns: []column{{Name: tr("fact.code")}, {Name: tr("col.indicator")}, {Name: tr("fact.unit")}, {Name: tr("fact.kind")},
			{Name: tr("fact.frequency")}, {Name: tr("fact.better")}, {Name: tr("fact.basis")}, {Name: tr("fact.formula")},
			{Name: tr("col.decimals"), Num: true}, {Name: tr("col.definition")}}}
	for _, in := range w.catalog {
		f := same(dash)
		if in.Numerator != "" {
			f = formula(w, in)
		}
		freq := tr("freq." + in.Frequency)
		if in.Flow {
			freq = freq.plus(tr("freq.ytd"))
		}
		name := cell{Text: in.Name, Href: indicatorPath(in.Code)}
		d.Rows = append(d.Rows, tableRow{Cells: []cell{textCell(same(in.Code)), name, textCell(unitName(in.Unit)),
			textCell(tr("kind." + in.Kind)), textCell(freq), textCell(tr("better." + in.Better)),
			textCell(tr("basisShort." + in.Basis)), textCell(f), numCell(strconv.Itoa(in.Decimals), strconv.Itoa(in.Decimals)),
			textCell(in.Definition)}})
	}
	b.Dictionary = p.addTable(d)

	u := &table{ID: "unit-counts", CSV: "unit-counts.csv", Caption: tf("method.unitCounts", w.regionName(w.province)),
		Columns: []column{{Name: tr("col.level")}, {Name: tr("col.year")}, {Name: tr("col.units"), Num: true}, {Name: tr("col.source")}}}
	// Consecutive years with the same count and source make one row.
	for i := 0; i < len(w.unitCounts); {
		c, j := w.unitCounts[i], i
		for j+1 < len(w.unitCounts) {
			d := w.unitCounts[j+1]
			if d.Level != c.Level || d.N != c.N || d.Source != c.Source || d.Year != w.unitCounts[j].Year+1 {
				break
			}
			j++
		}
		years := strconv.Itoa(c.Year)
		if j > i {
			years += "–" + strconv.Itoa(w.unitCounts[j].Year)
		}
		u.Rows = append(u.Rows, tableRow{Cells: []cell{textCell(tr("level." + c.Level)),
			{Text: same(years), Sort: strconv.Itoa(c.Year), Raw: years},
			numCell(strconv.Itoa(c.N), strconv.Itoa(c.N)), textCell(same(c.Source))}})
		i = j + 1
	}
	b.UnitCounts = p.addTable(u)

	b.Tiers = p.addTable(s.tiersTable())
	b.Params = p.addTable(s.paramsTable())
	b.Settings = p.addTable(s.settingsTable())
	b.Groups = p.addTable(s.groupsTable())
	b.Sources = p.addTable(s.sourcesTable())
	b.Loads = p.addTable(s.loadsTable())
	b.Freshness = p.addTable(s.freshnessTable())
	nodes, links, deps := s.lineageGraph()
	if len(nodes) > 0 {
		b.HasLineage = true
		p.Charts = append(p.Charts, single("chart_lineage", func(string) obj { return lineageChart(nodes, links) }))
	}
	b.Models = p.addTable(s.modelsTable(deps))
	return p
}

func (s *site) sourcesTable() *table {
	w := s.w
	t := &table{ID: "sources", CSV: "sources.csv", Caption: tr("method.sources"),
		Columns: []column{{Name: tr("col.indicator")}, {Name: tr("col.source")}, {Name: tr("col.periods")},
			{Name: tr("col.facts"), Num: true}, {Name: tr("col.values"), Num: true}, {Name: tr("col.vintages")},
			{Name: tr("col.status")}, {Name: tr("col.loadedAt")}}}
	for _, x := range w.sources {
		name := same(x.Indicator)
		if in := w.indicators[x.Indicator]; in != nil {
			name = in.Name
		}
		vint := itoa(x.MinVintage)
		if x.MaxVintage != x.MinVintage {
			vint += "–" + itoa(x.MaxVintage)
		}
		t.Rows = append(t.Rows, tableRow{Cells: []cell{textCell(name), textCell(same(x.Source)),
			textCell(same(x.First + " – " + x.Last)),
			numCell(formatNumber(float64(x.Facts), 0), strconv.Itoa(x.Facts)),
			numCell(formatNumber(float64(x.Values), 0), strconv.Itoa(x.Values)),
			textCell(same(vint)), textCell(statusText(x.Statuses)), textCell(same(formatTime(x.LoadedAt)))}})
	}
	return t
}

// statusText is "provisional,final" as 初步、核实.
func statusText(s string) bi {
	var out bi
	for i, st := range strings.Split(s, ",") {
		if i > 0 {
			out = out.plus(bi{"、", ", "})
		}
		out = out.plus(tr("status." + st))
	}
	return out
}

func (s *site) loadsTable() *table {
	t := &table{ID: "loads", CSV: "loads.csv", Caption: tr("method.loads"),
		Columns: []column{{Name: tr("col.vintage"), Num: true}, {Name: tr("col.file")}, {Name: tr("col.format")},
			{Name: tr("col.rowsRead"), Num: true}, {Name: tr("col.new"), Num: true}, {Name: tr("col.revised"), Num: true},
			{Name: tr("col.loadedAt")}}}
	for _, l := range s.w.loads {
		t.Rows = append(t.Rows, tableRow{Cells: []cell{numCell(itoa(l.ID), itoa(l.ID)), textCell(same(l.File)),
			textCell(same(l.Format)), numCell(formatNumber(float64(l.Rows), 0), itoa(l.Rows)),
			numCell(formatNumber(float64(l.New), 0), itoa(l.New)), numCell(formatNumber(float64(l.Revised), 0), itoa(l.Revised)),
			textCell(same(formatTime(l.LoadedAt)))}})
	}
	return t
}

// expectedPeriod is the latest period a timely indicator has at now: the
// previous month for monthly data, the previous year for annual data.
func expectedPeriod(freq string, now time.Time) innowatch.Period {
	t := now.In(chinaTime)
	if freq == "annual" {
		return innowatch.Period{Year: t.Year() - 1}
	}
	prev := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, chinaTime).AddDate(0, -1, 0)
	return innowatch.Period{Year: prev.Year(), Month: int(prev.Month())}
}

// lag is how many periods latest is behind expected (0 when on time).
func lag(latest, expected innowatch.Period) int {
	if expected.Annual() {
		return max(0, expected.Year-latest.Year)
	}
	m := func(p innowatch.Period) int {
		if p.Annual() {
			return p.Year*12 + 12
		}
		return p.Year*12 + p.Month
	}
	return max(0, m(expected)-m(latest))
}

func (s *site) freshnessTable() *table {
	w := s.w
	t := &table{ID: "freshness", CSV: "freshness.csv", Caption: tr("method.freshness"), Note: tr("method.freshnessNote"),
		Columns: []column{{Name: tr("col.indicator")}, {Name: tr("col.latest")}, {Name: tr("col.expected")},
			{Name: tr("col.lag"), Num: true}, {Name: tr("col.reported"), Num: true}, {Name: tr("col.status")}, {Name: tr("col.state")}}}
	latest := map[string]*freshRow{}
	for _, f := range w.freshness {
		if l := latest[f.Indicator]; l == nil || l.Period.Before(f.Period) {
			latest[f.Indicator] = f
		}
	}
	for _, in := range w.catalog {
		exp := expectedPeriod(in.Frequency, s.now)
		f := latest[in.Code]
		row := tableRow{Cells: []cell{{Text: in.Name}}}
		if f == nil {
			row.Class = "late"
			row.Cells = append(row.Cells, missingCell(tr("missing.noData")), textCell(periodText(exp, in.Flow)),
				cell{Text: same(dash), Class: "num"}, cell{Text: same(dash), Class: "num"}, textCell(same(dash)), textCell(tr("fresh.none")))
			t.Rows = append(t.Rows, row)
			continue
		}
		n := lag(f.Period, exp)
		state, unit := tr("fresh.onTime"), "fresh.months"
		if exp.Annual() {
			unit = "fresh.years"
		}
		if n > 0 {
			state, row.Class = tf("fresh.late", n, tr(unit)), "late"
		}
		row.Cells = append(row.Cells,
			cell{Text: periodText(f.Period, in.Flow), Sort: f.Period.String(), Raw: f.Period.String()},
			cell{Text: periodText(exp, in.Flow), Sort: exp.String(), Raw: exp.String()},
			numCell(strconv.Itoa(n), strconv.Itoa(n)),
			numCell(strconv.Itoa(f.Reported)+"/"+strconv.Itoa(f.Rows), strconv.Itoa(f.Reported)),
			textCell(statusText(f.Statuses)), textCell(state))
		t.Rows = append(t.Rows, row)
	}
	return t
}

// words finds identifiers in SQL once comments and strings are gone.
var (
	sqlNoise = regexp.MustCompile(`(?m)--[^\n]*$|'(?:[^']|'')*'`)
	sqlWord  = regexp.MustCompile(`[a-z_][a-z0-9_]*`)
)

// lineageGraph places the warehouse tables the models read (left) and the
// models (right of what they read), one column per dependency depth.
func (s *site) lineageGraph() ([]graphNode, [][2]string, map[string][]string) {
	if len(s.lineage) == 0 {
		return nil, nil, nil
	}
	isModel := map[string]*models.Model{}
	for _, m := range s.lineage {
		isModel[m.Name] = m
	}
	tables := map[string]bool{}
	for _, t := range baseTables {
		tables[t] = true
	}
	deps := map[string][]string{}
	var names []string
	used := map[string]bool{}
	for _, m := range s.lineage {
		names = append(names, m.Name)
		deps[m.Name] = append(deps[m.Name], m.Deps...)
		words := map[string]bool{}
		for _, x := range sqlWord.FindAllString(strings.ToLower(sqlNoise.ReplaceAllString(m.SQL, " ")), -1) {
			words[x] = true
		}
		for t := range tables {
			if words[t] && isModel[t] == nil {
				deps[m.Name] = append(deps[m.Name], t)
				used[t] = true
			}
		}
		sort.Strings(deps[m.Name])
	}
	for t := range used {
		names = append(names, t)
	}
	depth := map[string]int{}
	var depthOf func(n string, seen map[string]bool) int
	depthOf = func(n string, seen map[string]bool) int {
		if d, ok := depth[n]; ok {
			return d
		}
		if seen[n] {
			return 0 // a cycle: models.Load refuses them; stay safe
		}
		seen[n] = true
		d := 0
		for _, p := range deps[n] {
			d = max(d, depthOf(p, seen)+1)
		}
		depth[n] = d
		return d
	}
	for _, n := range names {
		depthOf(n, map[string]bool{})
	}
	sort.Slice(names, func(i, j int) bool {
		if depth[names[i]] != depth[names[j]] {
			return depth[names[i]] < depth[names[j]]
		}
		return names[i] < names[j]
	})
	row := map[int]int{}
	var nodes []graphNode
	for _, n := range names {
		d := depth[n]
		m := isModel[n]
		node := graphNode{Name: n, X: float64(d) * 220, Y: float64(row[d]) * 44, Model: m != nil}
		row[d]++
		nodes = append(nodes, node)
	}
	var links [][2]string
	for _, n := range names {
		for _, p := range deps[n] {
			links = append(links, [2]string{p, n})
		}
	}
	return nodes, links, deps
}

// baseTables are the warehouse tables (not models) a model may read.
var baseTables = []string{"facts", "indicators", "indicator_units", "regions", "region_aliases", "unit_counts",
	"focus", "targets", "tier_cutoffs", "index_parameters", "index_settings", "index_groups", "loads"}

func (s *site) modelsTable(deps map[string][]string) *table {
	t := &table{ID: "models", Caption: tr("method.models"),
		Columns: []column{{Name: tr("col.model")}, {Name: tr("col.materialized")}, {Name: tr("col.reads")}, {Name: tr("col.description")}}}
	for _, m := range s.lineage {
		reads := same(dash)
		if len(deps[m.Name]) > 0 {
			reads = same(strings.Join(deps[m.Name], ", "))
		}
		desc := same(m.Description)
		if zh, en, ok := strings.Cut(m.Description, " / "); ok {
			desc = bi{zh, en}
		}
		t.Rows = append(t.Rows, tableRow{Cells: []cell{textCell(same(m.Name)), textCell(same(m.Materialized)), textCell(reads), textCell(desc)}})
	}
	return t
}

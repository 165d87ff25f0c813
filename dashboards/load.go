package dashboards

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// loadWarehouse reads everything the site shows. Optional marts that are
// not built yet are skipped (w.missing says which).
func loadWarehouse(ctx context.Context, db *sql.DB, requireAll bool) (*warehouse, error) {
	missing, err := checkMarts(ctx, db, requireAll)
	if err != nil {
		return nil, err
	}
	w := &warehouse{missing: missing, indicators: map[string]*indicator{}, regions: map[string]regionRef{}, text: texts{}}
	steps := []struct {
		need string // optional mart; "" = always
		load func(context.Context, *sql.DB) error
	}{
		{"", w.loadCatalog},
		{"", w.loadRegions},
		{"", w.loadComparisons},
		{martChanges, w.loadChanges},
		{"", w.loadTiers},
		{"", w.loadIndexMethod},
		{"city_ranking", w.loadRanking},
		{"target_progress", w.loadProgress},
		{"", w.loadTargets},
		{"innovation_index", w.loadIndex},
		{"innovation_index_components", w.loadComponents},
		{"monthly_values", w.loadMonthly},
		{"", w.loadFreshness},
		{"", w.loadSources},
		{"", w.loadStatus},
	}
	for _, s := range steps {
		if s.need != "" && !w.has(s.need) {
			continue
		}
		if err := s.load(ctx, db); err != nil {
			return nil, err
		}
	}
	return w, w.finish()
}

func (w *warehouse) loadCatalog(ctx context.Context, db *sql.DB) error {
	return each(ctx, db, "catalog", func(r *sql.Rows) error {
		in := &indicator{}
		if err := r.Scan(&in.Code, &in.Name.Zh, &in.Name.En, &in.Unit, &in.Kind, &in.Flow, &in.Frequency, &in.Better,
			&in.Basis, &in.Numerator, &in.Denominator, &in.Scale, &in.Decimals, &in.Headline,
			&in.Definition.Zh, &in.Definition.En); err != nil {
			return err
		}
		in.ratio = in.Kind == "ratio"
		if in.Definition.En == "" {
			in.Definition.En = in.Definition.Zh
		}
		w.catalog = append(w.catalog, in)
		w.indicators[in.Code] = in
		return nil
	})
}

func (w *warehouse) loadRegions(ctx context.Context, db *sql.DB) error {
	err := each(ctx, db, "regions", func(r *sql.Rows) error {
		var g regionRef
		if err := r.Scan(&g.Code, &g.Name, &g.Level, &g.Parent, &g.NameEn); err != nil {
			return err
		}
		w.regions[g.Code] = g
		return nil
	})
	if err != nil {
		return err
	}
	err = db.QueryRowContext(ctx, query("focus")).Scan(&w.city, &w.province)
	if err == sql.ErrNoRows {
		return &innowatch.Error{Msg: "render: no focus city in the warehouse", Hint: "the focus table names the city and province the site compares; it is seeded by the migrations", Err: ErrNoData}
	}
	if err != nil {
		return fmt.Errorf("query focus: %w", err)
	}
	return nil
}

func (w *warehouse) loadComparisons(ctx context.Context, db *sql.DB) error {
	return each(ctx, db, "comparisons", func(r *sql.Rows) error {
		c := &comparison{}
		var period string
		if err := r.Scan(&c.Region, &c.Name, &c.Level, &period, &c.Indicator, &c.Value, &c.Unit, &c.Decimals,
			&c.Province, &c.Basis, &c.Units, &c.Gap, &c.Index, &c.Above, &c.Rank, &c.Peers,
			&c.Reason, &c.Derivation, &c.State, &c.Tied, &c.RankNote, &c.BasisNote); err != nil {
			return err
		}
		var err error
		if c.Period, err = parsePeriod(period); err != nil {
			return fmt.Errorf("county_vs_province: %w", err)
		}
		w.text.str(&c.Region, &c.Name, &c.Level, &c.Indicator)
		w.text.null(&c.Unit, &c.Basis, &c.Reason, &c.Derivation, &c.State, &c.RankNote, &c.BasisNote)
		switch c.Level {
		case "city", "county", "zone":
		default:
			return fmt.Errorf("county_vs_province: region %s has level %q: expected county, zone or city", c.Region, c.Level)
		}
		w.comparisons = append(w.comparisons, c)
		return nil
	})
}

type changeKey struct{ region, period, indicator string }

func (w *warehouse) loadChanges(ctx context.Context, db *sql.DB) error {
	byKey := map[changeKey]*comparison{}
	for _, c := range w.comparisons {
		byKey[changeKey{c.Region, c.Period.String(), c.Indicator}] = c
	}
	return each(ctx, db, "comparison_changes", func(r *sql.Rows) error {
		var k changeKey
		var prev, yoy sql.NullFloat64
		var unit sql.NullString
		var prevRank, delta sql.NullInt64
		var note sql.NullString
		if err := r.Scan(&k.region, &k.period, &k.indicator, &prev, &yoy, &unit, &prevRank, &delta, &note); err != nil {
			return err
		}
		if c := byKey[k]; c != nil {
			w.text.null(&unit, &note)
			c.PrevValue, c.YoY, c.YoYUnit, c.PrevRank, c.RankDelta, c.ChangeNote = prev, yoy, unit, prevRank, delta, note
		}
		return nil
	})
}

func (w *warehouse) loadRanking(ctx context.Context, db *sql.DB) error {
	return each(ctx, db, "city_ranking", func(r *sql.Rows) error {
		c := &cityRank{}
		var period string
		if err := r.Scan(&c.Region, &c.Name, &period, &c.Indicator, &c.Value, &c.Unit, &c.Decimals, &c.Rank, &c.Peers,
			&c.Prev, &c.Change, &c.Tier, &c.TierName, &c.GapFirst, &c.Province, &c.GapProv, &c.Focus,
			&c.Tied, &c.RankNote, &c.ChangeNote, &c.TierNote, &c.BasisNote); err != nil {
			return err
		}
		w.text.str(&c.Region, &c.Name, &c.Indicator)
		w.text.null(&c.Unit, &c.TierName, &c.RankNote, &c.ChangeNote, &c.TierNote, &c.BasisNote)
		var err error
		if c.Period, err = parsePeriod(period); err != nil {
			return fmt.Errorf("city_ranking: %w", err)
		}
		w.ranking = append(w.ranking, c)
		return nil
	})
}

func (w *warehouse) loadTiers(ctx context.Context, db *sql.DB) error {
	w.tierNames = map[int64]bi{}
	return each(ctx, db, "tier_cutoffs", func(r *sql.Rows) error {
		var t tierCutoff
		if err := r.Scan(&t.Tier, &t.Name.Zh, &t.Name.En, &t.MaxRank); err != nil {
			return err
		}
		w.tiers = append(w.tiers, t)
		w.tierNames[t.Tier] = t.Name
		return nil
	})
}

// loadIndexMethod reads the composite index's parameters, settings and
// groups: the methodology page prints them, the region pages name groups.
func (w *warehouse) loadIndexMethod(ctx context.Context, db *sql.DB) error {
	if err := each(ctx, db, "index_parameters", func(r *sql.Rows) error {
		x := &indexParam{}
		if err := r.Scan(&x.Indicator, &x.Weight, &x.Transform, &x.PerIndicator, &x.PerScale, &x.Label, &x.Note); err != nil {
			return err
		}
		w.params = append(w.params, x)
		return nil
	}); err != nil {
		return err
	}
	if err := each(ctx, db, "index_settings", func(r *sql.Rows) error {
		x := &indexSettings{}
		if err := r.Scan(&x.FirstYear, &x.LastYear, &x.MinWeightShare); err != nil {
			return err
		}
		w.settings = x
		return nil
	}); err != nil {
		return err
	}
	w.groupNames = map[string]bi{}
	return each(ctx, db, "index_groups", func(r *sql.Rows) error {
		x := &indexGroup{}
		if err := r.Scan(&x.Code, &x.Name.Zh, &x.Name.En, &x.MinIndex); err != nil {
			return err
		}
		w.groups = append(w.groups, x)
		w.groupNames[x.Code] = x.Name
		return nil
	})
}

func (w *warehouse) loadProgress(ctx context.Context, db *sql.DB) error {
	return each(ctx, db, "target_progress", func(r *sql.Rows) error {
		t := &targetRow{}
		var asOf string
		if err := r.Scan(&t.Region, &t.Name, &t.Year, &asOf, &t.Month, &t.Indicator, &t.Kind, &t.Description,
			&t.Target, &t.TargetMax, &t.BaselinePeriod, &t.Baseline, &t.Current, &t.Actual, &t.Province,
			&t.Completion, &t.TimeProgress, &t.Ahead, &t.Status, &t.Reason, &t.Needed, &t.Measure); err != nil {
			return err
		}
		var err error
		if t.AsOf, err = parsePeriod(asOf); err != nil {
			return fmt.Errorf("target_progress: %w", err)
		}
		w.progress = append(w.progress, t)
		return nil
	})
}

func (w *warehouse) loadTargets(ctx context.Context, db *sql.DB) error {
	return each(ctx, db, "targets", func(r *sql.Rows) error {
		t := &plainTarget{}
		if err := r.Scan(&t.Region, &t.Year, &t.Indicator, &t.Kind, &t.Target, &t.TargetMax, &t.BaselinePeriod,
			&t.Description, &t.Source); err != nil {
			return err
		}
		w.targets = append(w.targets, t)
		return nil
	})
}

func (w *warehouse) loadIndex(ctx context.Context, db *sql.DB) error {
	return each(ctx, db, "innovation_index", func(r *sql.Rows) error {
		x := &indexRow{}
		if err := r.Scan(&x.Region, &x.Name, &x.Level, &x.Year, &x.Score, &x.Index, &x.Group, &x.GroupZh, &x.Reason,
			&x.Components, &x.Rank, &x.Peers); err != nil {
			return err
		}
		w.index = append(w.index, x)
		return nil
	})
}

func (w *warehouse) loadComponents(ctx context.Context, db *sql.DB) error {
	return each(ctx, db, "innovation_components", func(r *sql.Rows) error {
		x := &componentRow{}
		if err := r.Scan(&x.Region, &x.Indicator, &x.Year, &x.Period, &x.Reason, &x.Raw, &x.Intensity, &x.Normalised,
			&x.Weight); err != nil {
			return err
		}
		w.components = append(w.components, x)
		return nil
	})
}

func (w *warehouse) loadMonthly(ctx context.Context, db *sql.DB) error {
	return each(ctx, db, "monthly_values", func(r *sql.Rows) error {
		m := &monthRow{}
		var period string
		if err := r.Scan(&period, &m.Indicator, &m.YTD, &m.Month); err != nil {
			return err
		}
		var err error
		if m.Period, err = parsePeriod(period); err != nil {
			return fmt.Errorf("monthly_values: %w", err)
		}
		w.monthly = append(w.monthly, m)
		return nil
	}, w.city)
}

func (w *warehouse) loadFreshness(ctx context.Context, db *sql.DB) error {
	return each(ctx, db, "freshness", func(r *sql.Rows) error {
		f := &freshRow{}
		var period string
		if err := r.Scan(&f.Indicator, &period, &f.Reported, &f.Rows, &f.Statuses); err != nil {
			return err
		}
		var err error
		if f.Period, err = parsePeriod(period); err != nil {
			return fmt.Errorf("indicator_values: %w", err)
		}
		w.freshness = append(w.freshness, f)
		return nil
	})
}

func (w *warehouse) loadSources(ctx context.Context, db *sql.DB) error {
	if err := each(ctx, db, "sources", func(r *sql.Rows) error {
		s := &sourceRow{}
		if err := r.Scan(&s.Indicator, &s.Source, &s.First, &s.Last, &s.Facts, &s.Values, &s.MinVintage,
			&s.MaxVintage, &s.LoadedAt, &s.Statuses); err != nil {
			return err
		}
		w.sources = append(w.sources, s)
		return nil
	}); err != nil {
		return err
	}
	if err := each(ctx, db, "loads", func(r *sql.Rows) error {
		l := &loadRow{}
		if err := r.Scan(&l.ID, &l.File, &l.Format, &l.Rows, &l.New, &l.Revised, &l.LoadedAt); err != nil {
			return err
		}
		w.loads = append(w.loads, l)
		return nil
	}); err != nil {
		return err
	}
	return each(ctx, db, "unit_counts", func(r *sql.Rows) error {
		u := &unitCount{}
		if err := r.Scan(&u.Level, &u.Year, &u.N, &u.Source); err != nil {
			return err
		}
		w.unitCounts = append(w.unitCounts, u)
		return nil
	}, w.province)
}

func (w *warehouse) loadStatus(ctx context.Context, db *sql.DB) error {
	var loaded sql.NullTime
	if err := db.QueryRowContext(ctx, query("facts_status")).Scan(&w.sample, &loaded); err != nil {
		return fmt.Errorf("query facts: %w", err)
	}
	if loaded.Valid {
		w.dataAsOf = loaded.Time
	}
	return nil
}

// texts shares one copy of each text the big marts repeat row after row
// (region names and codes, indicators, units, notes): read from DuckDB,
// every cell is a string of its own. City scale: county_vs_province and
// city_ranking are 44,000 rows of 10-13 texts each, 10 MB of copies
// otherwise held for the whole render.
type texts map[string]string

func (t texts) str(ss ...*string) {
	for _, s := range ss {
		if v, ok := t[*s]; ok {
			*s = v
		} else {
			t[*s] = *s
		}
	}
}

func (t texts) null(ns ...*sql.NullString) {
	for _, n := range ns {
		if n.Valid {
			t.str(&n.String)
		}
	}
}

// finish derives what every page needs: each indicator's latest period with
// a county, zone or city value, and which indicators divide others.
func (w *warehouse) finish() error {
	w.text = nil
	for _, in := range w.catalog {
		for _, part := range []string{in.Numerator, in.Denominator} {
			if x := w.indicators[part]; x != nil {
				x.partOf = true
			}
		}
	}
	for _, c := range w.comparisons {
		in := w.indicators[c.Indicator]
		if in == nil {
			return fmt.Errorf("county_vs_province: indicator %q is not in the catalog", c.Indicator)
		}
		if c.Value.Valid && (!in.hasData || in.latest.Before(c.Period)) {
			in.latest, in.hasData = c.Period, true
		}
	}
	for _, in := range w.catalog {
		if in.hasData {
			return nil
		}
	}
	return &innowatch.Error{
		Msg:  "county_vs_province: no value for any county, zone or the city",
		Hint: "load county figures and run the models (innowatch build) before rendering",
		Err:  ErrNoData,
	}
}

// rows returns the comparisons of one indicator and period, ordered by rank
// (ties by code), unranked values next, missing values last.
func (w *warehouse) rows(indicator string, p innowatch.Period, levels ...string) []*comparison {
	var out []*comparison
	for _, c := range w.lookup().byPeriod[indicatorPeriod{indicator, p}] {
		if hasLevel(levels, c.Level) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return rankLess(out[i], out[j]) })
	return out
}

// comparisonIndex finds county_vs_province rows by key: the pages look rows
// up thousands of times (every county, indicator and period), and a scan
// of all rows for each lookup was a fifth of the render's time.
type comparisonIndex struct {
	byPeriod map[indicatorPeriod][]*comparison // in load order
	bySeries map[regionIndicator][]*comparison // in period order
}

type indicatorPeriod struct {
	indicator string
	period    innowatch.Period
}

type regionIndicator struct{ region, indicator string }

// lookup builds the lookups on first use, after every comparison is loaded.
func (w *warehouse) lookup() *comparisonIndex {
	if w.compIndex != nil {
		return w.compIndex
	}
	x := &comparisonIndex{byPeriod: map[indicatorPeriod][]*comparison{}, bySeries: map[regionIndicator][]*comparison{}}
	for _, c := range w.comparisons {
		k := indicatorPeriod{c.Indicator, c.Period}
		x.byPeriod[k] = append(x.byPeriod[k], c)
		s := regionIndicator{c.Region, c.Indicator}
		x.bySeries[s] = append(x.bySeries[s], c)
	}
	for _, s := range x.bySeries {
		sort.SliceStable(s, func(i, j int) bool { return s[i].Period.Before(s[j].Period) })
	}
	w.compIndex = x
	return x
}

func hasLevel(levels []string, l string) bool {
	if len(levels) == 0 {
		return true
	}
	for _, x := range levels {
		if x == l {
			return true
		}
	}
	return false
}

func rankLess(a, b *comparison) bool {
	if a.Value.Valid != b.Value.Valid {
		return a.Value.Valid
	}
	if a.Rank.Valid != b.Rank.Valid {
		return a.Rank.Valid
	}
	if a.Rank.Valid && a.Rank.Int64 != b.Rank.Int64 {
		return a.Rank.Int64 < b.Rank.Int64
	}
	if a.Value.Valid && a.Value.Float64 != b.Value.Float64 {
		return a.Value.Float64 > b.Value.Float64
	}
	return a.Region < b.Region
}

// series returns one region's comparisons of an indicator in period order.
func (w *warehouse) series(region, indicator string) []*comparison {
	return slices.Clone(w.lookup().bySeries[regionIndicator{region, indicator}])
}

// comparison returns one row, or nil.
func (w *warehouse) comparison(region, indicator string, p innowatch.Period) *comparison {
	for _, c := range w.lookup().bySeries[regionIndicator{region, indicator}] {
		if c.Period == p {
			return c
		}
	}
	return nil
}

// units lists the counties and zones of the site, in code order.
func (w *warehouse) units() []regionRef {
	seen := map[string]bool{}
	var out []regionRef
	for _, c := range w.comparisons {
		if (c.Level == "county" || c.Level == "zone") && !seen[c.Region] {
			seen[c.Region] = true
			g := w.regions[c.Region]
			g.Code, g.Name, g.Level = c.Region, c.Name, c.Level
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Level != out[j].Level {
			return out[i].Level == "county"
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// name is a region's name in both languages; the Chinese one as the data
// gives it, the English one from region_names_en when known.
func (w *warehouse) name(code, zh string) bi {
	en := w.regions[code].NameEn
	if en == "" {
		en = zh
	}
	return bi{zh, en}
}

// notBuilt lists the missing marts among names, for the visible note.
func (w *warehouse) notBuilt(names ...string) string {
	var out []string
	for _, n := range names {
		if w.missing[n] {
			out = append(out, strings.TrimSuffix(n, ".changes"))
		}
	}
	return strings.Join(out, ", ")
}

// regionName is a region's name from the regions table, in both languages.
func (w *warehouse) regionName(code string) bi { return w.name(code, w.regions[code].Name) }

package dashboards

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/linyi-sti/innowatch"
)

//go:embed queries/*.sql
var queries embed.FS

func query(name string) string {
	b, err := queries.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("dashboards: no query " + name) // a programming error every test catches
	}
	return string(b)
}

// The first page shows one indicator; the next pages will take it as data.
const (
	indexIndicator     = "rd_intensity"
	indexIndicatorName = "R&D经费投入强度"
)

// region is one row of county_vs_province as read.
type region struct {
	Code, Name, Level           string
	Value, Province, Gap, Index sql.NullFloat64
	Rank, Peers, Decimals       sql.NullInt64
	Basis, Unit, MissingReason  sql.NullString
}

// indexData is everything the index template and its charts need.
type indexData struct {
	Title       string
	Indicator   string
	Period      string // canonical, "2020"
	PeriodLabel string // "2020年"
	DataAsOf    string // latest load time, or "—"
	GeneratedAt string
	Sample      bool
	Unit        string
	Decimals    int
	Province    string // formatted provincial value with unit, "" when unknown
	GapHeader   string // "差距（百分点）"
	Headline    string // the city against the province, "" without a city row
	Rows        []rowView
	Bases       []string
	Scripts     []string
	Stylesheet  string
	MapID       string
	BarID       string
	Charts      []chartSpec

	regions  []region        // counties and zones, ranked; the charts' input
	province sql.NullFloat64 // the provincial value, for the charts
}

// rowView is a table row, every cell already formatted.
type rowView struct {
	Name, Level, Value, Province, Gap, Rank string
	Missing                                 bool
	Reason                                  string
	Class                                   string
}

var levelLabels = map[string]string{"city": "全市", "county": "县区", "zone": "开发区"}

// loadIndex reads the data of the index page: the latest annual period with
// R&D intensity values, every region's comparison with the province in that
// period, and the state of the facts table.
func loadIndex(ctx context.Context, db *sql.DB) (*indexData, error) {
	period, err := latestAnnualPeriod(ctx, db, indexIndicator)
	if err != nil {
		return nil, err
	}
	regions, err := loadRegions(ctx, db, indexIndicator, period)
	if err != nil {
		return nil, err
	}
	d := &indexData{
		Title:       "临沂市科技创新监测",
		Indicator:   indexIndicatorName,
		Period:      period.String(),
		PeriodLabel: periodLabel(period),
		DataAsOf:    "—",
		Stylesheet:  assetsHost + "site.css",
		MapID:       mapChartID,
		BarID:       barChartID,
		Decimals:    2,
	}
	if err := loadFactsStatus(ctx, db, d); err != nil {
		return nil, err
	}

	var city *region
	var ranked []region
	var province sql.NullFloat64
	bases := map[string]bool{}
	for i := range regions {
		r := regions[i]
		if r.Unit.Valid && d.Unit == "" {
			d.Unit = r.Unit.String
		}
		if r.Decimals.Valid {
			d.Decimals = int(r.Decimals.Int64)
		}
		if r.Province.Valid && !province.Valid {
			province = r.Province
		}
		if r.Basis.Valid && r.Basis.String != "" && !bases[r.Basis.String] {
			bases[r.Basis.String] = true
			d.Bases = append(d.Bases, r.Basis.String)
		}
		switch r.Level {
		case "city":
			if city == nil {
				city = &regions[i]
			}
		case "county", "zone":
			ranked = append(ranked, r)
		default:
			return nil, fmt.Errorf("county_vs_province: region %s has level %q: expected county, zone or city", r.Code, r.Level)
		}
	}
	if len(ranked) == 0 {
		return nil, &innowatch.Error{
			Msg:  fmt.Sprintf("county_vs_province: no county or zone rows for %s in %s", indexIndicator, d.Period),
			Hint: "load county figures and run the models (innowatch build) before rendering",
			Err:  ErrNoData,
		}
	}
	sortRanked(ranked)
	d.regions = ranked
	d.province = province
	if province.Valid {
		d.Province = formatNumber(province.Float64, d.Decimals) + d.Unit
	}

	d.GapHeader = "差距（" + gapUnit(d.Unit) + "）"
	if city != nil {
		d.Rows = append(d.Rows, d.row(*city))
		d.Headline = headline(*city, d)
	}
	for _, r := range ranked {
		d.Rows = append(d.Rows, d.row(r))
	}
	return d, nil
}

// latestAnnualPeriod is the latest whole year with at least one value of
// indicator. Periods sort as innowatch.Period does, not as strings.
func latestAnnualPeriod(ctx context.Context, db *sql.DB, indicator string) (innowatch.Period, error) {
	rows, err := db.QueryContext(ctx, query("index_periods"), indicator)
	if err != nil {
		return innowatch.Period{}, fmt.Errorf("query county_vs_province periods: %w", err)
	}
	defer rows.Close()
	var latest innowatch.Period
	found := false
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return innowatch.Period{}, fmt.Errorf("scan county_vs_province period: %w", err)
		}
		p, err := innowatch.ParsePeriod(s)
		if err != nil {
			return innowatch.Period{}, fmt.Errorf("county_vs_province: %w", err)
		}
		if p.Annual() && (!found || latest.Before(p)) {
			latest, found = p, true
		}
	}
	if err := rows.Err(); err != nil {
		return innowatch.Period{}, fmt.Errorf("query county_vs_province periods: %w", err)
	}
	if !found {
		return innowatch.Period{}, &innowatch.Error{
			Msg:  fmt.Sprintf("county_vs_province: no annual period with %s values", indicator),
			Hint: "load R&D expenditure and GDP for a year and run the models (innowatch build) before rendering",
			Err:  ErrNoData,
		}
	}
	return latest, nil
}

func loadRegions(ctx context.Context, db *sql.DB, indicator string, p innowatch.Period) ([]region, error) {
	rows, err := db.QueryContext(ctx, query("index_rows"), indicator, p.String())
	if err != nil {
		return nil, fmt.Errorf("query county_vs_province: %w", err)
	}
	defer rows.Close()
	var out []region
	for rows.Next() {
		var r region
		if err := rows.Scan(&r.Code, &r.Name, &r.Level, &r.Value, &r.Province, &r.Gap, &r.Index,
			&r.Rank, &r.Peers, &r.Basis, &r.Unit, &r.Decimals, &r.MissingReason); err != nil {
			return nil, fmt.Errorf("scan county_vs_province: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query county_vs_province: %w", err)
	}
	return out, nil
}

func loadFactsStatus(ctx context.Context, db *sql.DB, d *indexData) error {
	var loaded sql.NullTime
	if err := db.QueryRowContext(ctx, query("facts_status")).Scan(&d.Sample, &loaded); err != nil {
		return fmt.Errorf("query facts: %w", err)
	}
	if loaded.Valid {
		d.DataAsOf = formatTime(loaded.Time)
	}
	return nil
}

// sortRanked orders regions by rank (ties by code), those without a rank
// by value, and missing values last: missing is never ranked as zero.
func sortRanked(rs []region) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
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
		return a.Code < b.Code
	})
}

func (d *indexData) row(r region) rowView {
	dec := d.Decimals
	if r.Decimals.Valid {
		dec = int(r.Decimals.Int64)
	}
	v := rowView{Name: r.Name, Level: levelLabels[r.Level], Class: r.Level,
		Value: "—", Province: "—", Gap: "—", Rank: "—"}
	if r.Province.Valid {
		v.Province = formatNumber(r.Province.Float64, dec)
	}
	if !r.Value.Valid {
		v.Missing = true
		v.Reason = "未报送"
		if r.MissingReason.Valid && strings.TrimSpace(r.MissingReason.String) != "" {
			v.Reason = r.MissingReason.String
		}
		return v
	}
	v.Value = formatNumber(r.Value.Float64, dec)
	if r.Gap.Valid {
		v.Gap = formatSigned(r.Gap.Float64, dec)
	}
	if r.Rank.Valid {
		v.Rank = fmt.Sprint(r.Rank.Int64)
		if r.Peers.Valid {
			v.Rank += "/" + fmt.Sprint(r.Peers.Int64)
		}
	}
	return v
}

// headline states where the city stands against the province in words.
func headline(city region, d *indexData) string {
	if !city.Value.Valid {
		return ""
	}
	s := fmt.Sprintf("%s%s %s%s", city.Name, d.PeriodLabel, formatNumber(city.Value.Float64, d.Decimals), d.Unit)
	if !city.Gap.Valid || !city.Province.Valid {
		return s
	}
	gap := city.Gap.Float64
	switch rounded := formatNumber(abs(gap), d.Decimals); {
	case rounded == formatNumber(0, d.Decimals):
		return s + "，与全省持平"
	case gap > 0:
		return s + "，高于全省 " + rounded + " " + sentenceUnit(d.Unit)
	default:
		return s + "，低于全省 " + rounded + " " + sentenceUnit(d.Unit)
	}
}

// gapUnit is the unit of a difference: percentage points for a percentage.
func gapUnit(unit string) string {
	if unit == "%" {
		return "百分点"
	}
	return unit
}

// sentenceUnit is gapUnit as written in a sentence: "低于全省 0.16 个百分点".
func sentenceUnit(unit string) string {
	if unit == "%" {
		return "个百分点"
	}
	return unit
}

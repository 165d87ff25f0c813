package bulletin

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards"
)

//go:embed queries/*.sql
var queries embed.FS

func query(name string) string {
	b, err := queries.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("bulletin: no query " + name) // a programming error every test catches
	}
	return string(b)
}

// The marts the bulletin reads (docs/MARTS.md is their contract).
const (
	martValues   = "indicator_values"
	martCounty   = "county_vs_province"
	martCities   = "city_ranking"
	martTargets  = "target_progress"
	martMonthly  = "monthly_values"
	tableTargets = "targets"
)

// Target statuses of target_progress.
const (
	StatusMet      = "met"
	StatusAhead    = "ahead"
	StatusOnPace   = "on_pace"
	StatusBehind   = "behind"
	StatusNotMet   = "not_met"
	StatusOnTrack  = "on_track"
	StatusOffTrack = "off_track"
	StatusMissing  = "missing"
)

// Indicator is a headline indicator as the catalog declares it.
type Indicator struct {
	Code, Name, Unit, Kind, Basis, Definition string
	Flow, Annual                              bool
	Decimals                                  int
}

// Row is one row of county_vs_province (or, with Mart = city_ranking, of
// city_ranking): a region's value for an indicator and period.
type Row struct {
	Mart                         string
	Code, Name, Level            string
	Period                       innowatch.Period
	Indicator                    string
	Value, Province, Gap, Yoy    sql.NullFloat64
	Rank, Peers                  sql.NullInt64
	PrevRank, RankChange         sql.NullInt64
	Decimals                     int
	Unit, Basis, YoyUnit, Reason string
	IsFocus                      bool // city_ranking: the focus city
	// Tied: another peer shares the rank (并列). RankNote and ChangeNote
	// say why there is no rank or no rank change.
	Tied                 bool
	RankNote, ChangeNote string
}

// Tier is the city's tier among the province's cities (city_ranking).
type Tier struct {
	Row        *Row
	Tier       sql.NullInt64
	Name       string
	GapToFirst sql.NullFloat64
	Note       string // why no tier is given (values tied across a cut-off, too few cities)
}

// Target is one target of the focus city for the year and its progress at
// the bulletin's month. Status is "" when target_progress has no row.
type Target struct {
	Region, Indicator, Kind, Description, AsOf string
	Year                                       int
	Unit                                       string
	Decimals                                   int
	AsOfMonth                                  int
	TargetValue, Actual                        sql.NullFloat64
	Completion, TimeProgress, Ahead            sql.NullFloat64
	Status, Reason                             string
	Annual                                     bool // the indicator is annual: no monthly progress
	Current, Needed                            sql.NullFloat64
	Measure                                    string // how the achievement was measured (target_progress.measure_note)
}

// Section is one headline indicator: the city, its tier, and the counties
// and zones in administrative order.
type Section struct {
	Indicator Indicator
	Period    innowatch.Period
	City      *Row
	Tier      *Tier
	Counties  []Row
}

// MonthPoint is a single month's value of a flow (monthly_values).
type MonthPoint struct {
	Month int
	Value sql.NullFloat64
}

// Data is everything one bulletin is written from.
type Data struct {
	Month    innowatch.Period
	CityCode string
	CityName string
	Province string // the province's code
	Sections []Section
	Targets  []Target
	// Cities ranks the province's cities on the lead indicator.
	Cities []Row
	// Monthly holds single-month values of the first headline flow amount,
	// this year and last year, months 1..Month.
	MonthlyIndicator *Indicator
	Monthly          [2][]MonthPoint
	Vintage          Vintage
	Sample           bool
	// Registers is the 高企 paragraph from the rosters (registers.go); nil when none.
	Registers *Registers
}

// Lead is the first monthly headline indicator: the one the county and
// city charts show.
func (d *Data) Lead() *Section {
	for i := range d.Sections {
		if !d.Sections[i].Indicator.Annual {
			return &d.Sections[i]
		}
	}
	if len(d.Sections) > 0 {
		return &d.Sections[0]
	}
	return nil
}

// Load reads the data of the bulletin for month from the marts.
func Load(ctx context.Context, db *sql.DB, month innowatch.Period) (*Data, error) {
	if err := CheckMarts(ctx, db); err != nil {
		return nil, err
	}
	d := &Data{Month: month}
	if err := db.QueryRowContext(ctx, query("focus")).Scan(&d.CityCode, &d.CityName, &d.Province); err != nil {
		return nil, fmt.Errorf("read focus city: %w", err)
	}
	inds, err := headlineIndicators(ctx, db)
	if err != nil {
		return nil, err
	}
	for _, in := range inds {
		s := Section{Indicator: in, Period: month}
		if in.Annual {
			// An annual figure is published during the following year:
			// the latest year before the bulletin's with a city value.
			p, ok, err := latestAnnual(ctx, db, in.Code, dashboards.ReportYear(month))
			if err != nil {
				return nil, err
			}
			if !ok {
				p = innowatch.Period{Year: dashboards.ReportYear(month)}
			}
			s.Period = p
		}
		rows, err := countyRows(ctx, db, in.Code, s.Period)
		if err != nil {
			return nil, err
		}
		for i := range rows {
			if rows[i].Level == "city" {
				if rows[i].Code == d.CityCode {
					s.City = &rows[i]
				}
				continue
			}
			s.Counties = append(s.Counties, rows[i])
		}
		if s.City != nil {
			city := *s.City
			s.City = &city
		}
		if s.Tier, err = loadTier(ctx, db, d.CityCode, in, s.Period); err != nil {
			return nil, err
		}
		d.Sections = append(d.Sections, s)
	}
	if lead := d.Lead(); lead != nil {
		if d.Cities, err = cityRows(ctx, db, lead.Indicator.Code, lead.Period); err != nil {
			return nil, err
		}
	}
	if d.Targets, err = loadTargets(ctx, db, d.CityCode, month); err != nil {
		return nil, err
	}
	for _, s := range d.Sections {
		if s.Indicator.Flow && !s.Indicator.Annual && s.Indicator.Kind != string(innowatch.KindRatio) {
			in := s.Indicator
			d.MonthlyIndicator = &in
			for i, year := range []int{month.Year, month.Year - 1} {
				if d.Monthly[i], err = monthly(ctx, db, d.CityCode, in.Code, year, month.Month); err != nil {
					return nil, err
				}
			}
			break
		}
	}
	if d.Registers, err = loadRegisters(ctx, db, d.CityCode, month); err != nil {
		return nil, err
	}
	if d.Vintage, err = loadVintage(ctx, db, d); err != nil {
		return nil, err
	}
	d.Sample = d.Vintage.Sample()
	return d, nil
}

func headlineIndicators(ctx context.Context, db *sql.DB) ([]Indicator, error) {
	rows, err := db.QueryContext(ctx, query("headline_indicators"))
	if err != nil {
		return nil, fmt.Errorf("read headline indicators: %w", err)
	}
	defer rows.Close()
	var out []Indicator
	for rows.Next() {
		var in Indicator
		var freq string
		var def sql.NullString
		if err := rows.Scan(&in.Code, &in.Name, &in.Unit, &in.Kind, &in.Flow, &freq, &in.Basis, &in.Decimals, &def); err != nil {
			return nil, fmt.Errorf("read headline indicators: %w", err)
		}
		in.Annual, in.Definition = freq == "annual", def.String
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read headline indicators: %w", err)
	}
	if len(out) == 0 {
		return nil, &innowatch.Error{Msg: "bulletin: no headline indicator in the catalog",
			Hint: "mark the indicators the bulletin reports with headline = true in the indicators table", Err: ErrNoData}
	}
	return out, nil
}

func latestAnnual(ctx context.Context, db *sql.DB, indicator string, maxYear int) (innowatch.Period, bool, error) {
	var y sql.NullInt64
	if err := db.QueryRowContext(ctx, query("latest_annual"), indicator, maxYear).Scan(&y); err != nil {
		return innowatch.Period{}, false, fmt.Errorf("read latest year of %s: %w", indicator, err)
	}
	return innowatch.Period{Year: int(y.Int64)}, y.Valid, nil
}

func countyRows(ctx context.Context, db *sql.DB, indicator string, p innowatch.Period) ([]Row, error) {
	rows, err := db.QueryContext(ctx, query("county_rows"), indicator, p.String())
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", martCounty, err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		r := Row{Mart: martCounty, Period: p, Indicator: indicator}
		var unit, basis, yoyUnit, reason, rankNote, changeNote sql.NullString
		var dec sql.NullInt64
		if err := rows.Scan(&r.Code, &r.Name, &r.Level, &r.Value, &unit, &dec, &r.Province, &basis, &r.Gap,
			&r.Rank, &r.Peers, &reason, &r.Yoy, &yoyUnit, &r.PrevRank, &r.RankChange,
			&r.Tied, &rankNote, &changeNote); err != nil {
			return nil, fmt.Errorf("read %s: %w", martCounty, err)
		}
		r.Unit, r.Basis, r.YoyUnit, r.Reason = unit.String, basis.String, yoyUnit.String, reason.String
		r.RankNote, r.ChangeNote = rankNote.String, changeNote.String
		r.Decimals = int(dec.Int64)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", martCounty, err)
	}
	return out, nil
}

func loadTier(ctx context.Context, db *sql.DB, city string, in Indicator, p innowatch.Period) (*Tier, error) {
	t := &Tier{Row: &Row{Mart: martCities, Code: city, Period: p, Indicator: in.Code}}
	var name, note sql.NullString
	err := db.QueryRowContext(ctx, query("city_tier"), city, in.Code, p.String()).Scan(&t.Tier, &name, &t.GapToFirst, &note)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", martCities, err)
	}
	t.Name, t.Note = name.String, note.String
	return t, nil
}

func cityRows(ctx context.Context, db *sql.DB, indicator string, p innowatch.Period) ([]Row, error) {
	rows, err := db.QueryContext(ctx, query("city_rows"), indicator, p.String())
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", martCities, err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		r := Row{Mart: martCities, Period: p, Indicator: indicator, Level: "city"}
		var dec sql.NullInt64
		var unit sql.NullString
		if err := rows.Scan(&r.Code, &r.Name, &r.Value, &unit, &dec, &r.Rank, &r.Peers, &r.Province, &r.IsFocus); err != nil {
			return nil, fmt.Errorf("read %s: %w", martCities, err)
		}
		r.Unit, r.Decimals = unit.String, int(dec.Int64)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", martCities, err)
	}
	return out, nil
}

func loadTargets(ctx context.Context, db *sql.DB, city string, month innowatch.Period) ([]Target, error) {
	rows, err := db.QueryContext(ctx, query("targets"), city, month.Year, month.String())
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", martTargets, err)
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		t := Target{Region: city, Year: month.Year, AsOf: month.String(), AsOfMonth: month.Month}
		var status, reason, measure, asOf sql.NullString
		var asOfMonth sql.NullInt64
		if err := rows.Scan(&t.Indicator, &t.Kind, &t.Description, &t.Unit, &t.Decimals, &t.Annual, &t.TargetValue, &asOfMonth,
			&t.Actual, &t.Completion, &t.TimeProgress, &t.Ahead, &status, &reason,
			&t.Current, &t.Needed, &measure, &asOf); err != nil {
			return nil, fmt.Errorf("read %s: %w", martTargets, err)
		}
		if asOfMonth.Valid {
			t.AsOfMonth = int(asOfMonth.Int64)
		}
		if asOf.Valid {
			t.AsOf = asOf.String // an annual target: the year (target_progress's key)
		}
		t.Status, t.Reason, t.Measure = status.String, reason.String, measure.String
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", martTargets, err)
	}
	return out, nil
}

func monthly(ctx context.Context, db *sql.DB, city, indicator string, year, months int) ([]MonthPoint, error) {
	got := map[int]sql.NullFloat64{}
	rows, err := db.QueryContext(ctx, query("monthly"), city, indicator, year, months)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", martMonthly, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m int
		var v sql.NullFloat64
		if err := rows.Scan(&m, &v); err != nil {
			return nil, fmt.Errorf("read %s: %w", martMonthly, err)
		}
		got[m] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", martMonthly, err)
	}
	out := make([]MonthPoint, months)
	for m := 1; m <= months; m++ {
		out[m-1] = MonthPoint{Month: m, Value: got[m]}
	}
	return out, nil
}

// LatestMonth is the latest month in which the focus city has a value of
// a monthly headline indicator: the default month of a bulletin.
func LatestMonth(ctx context.Context, db *sql.DB) (innowatch.Period, error) {
	if err := CheckMarts(ctx, db); err != nil {
		return innowatch.Period{}, err
	}
	rows, err := db.QueryContext(ctx, query("months_with_data"))
	if err != nil {
		return innowatch.Period{}, fmt.Errorf("read months with data: %w", err)
	}
	defer rows.Close()
	var months []innowatch.Period
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return innowatch.Period{}, fmt.Errorf("read months with data: %w", err)
		}
		p, err := innowatch.ParsePeriod(s)
		if err != nil {
			return innowatch.Period{}, fmt.Errorf("%s: %w", martCounty, err)
		}
		if !p.Annual() {
			months = append(months, p)
		}
	}
	if err := rows.Err(); err != nil {
		return innowatch.Period{}, fmt.Errorf("read months with data: %w", err)
	}
	if len(months) == 0 {
		return innowatch.Period{}, &innowatch.Error{Msg: "bulletin: no month with data for the city",
			Hint: "load monthly figures and run innowatch build first", Err: ErrNoData}
	}
	sort.Slice(months, func(i, j int) bool { return months[i].Before(months[j]) })
	return months[len(months)-1], nil
}

// required lists, per mart, the columns the bulletin reads.
var required = []struct {
	table   string
	columns []string
}{
	{martValues, []string{"region_code", "period", "indicator", "value", "vintage"}},
	{martCounty, []string{"region_code", "region_name", "level", "period", "indicator", "value", "unit", "decimals",
		"province_value", "comparison_basis", "gap", "rank", "peer_count", "missing_reason",
		"yoy", "yoy_unit", "prev_rank", "rank_change", "rank_tied", "rank_note", "rank_change_note"}},
	{martCities, []string{"region_code", "region_name", "period", "indicator", "value", "unit", "decimals", "rank",
		"peer_count", "tier", "tier_name", "gap_to_first_tier", "province_value", "is_focus", "tier_note"}},
	{martTargets, []string{"region_code", "year", "as_of_period", "as_of_month", "indicator", "target_kind",
		"actual_value", "completion_pct", "time_progress_pct", "ahead_points", "status", "missing_reason",
		"current_value", "needed_value", "measure_note"}},
	{martMonthly, []string{"region_code", "year", "month", "indicator", "month_value"}},
}

// CheckMarts fails, naming the mart and its missing columns, when the
// warehouse lacks what the bulletin reads. There is no fallback: a
// bulletin from half the marts would be silently incomplete.
func CheckMarts(ctx context.Context, db *sql.DB) error {
	have := map[string]map[string]bool{}
	rows, err := db.QueryContext(ctx, query("mart_columns"))
	if err != nil {
		return fmt.Errorf("read the warehouse's columns: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return fmt.Errorf("read the warehouse's columns: %w", err)
		}
		if have[t] == nil {
			have[t] = map[string]bool{}
		}
		have[t][c] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the warehouse's columns: %w", err)
	}
	hint := "run innowatch build first (it builds the marts of docs/MARTS.md); if it does, this binary's models predate them"
	for _, r := range required {
		cols, ok := have[r.table]
		if !ok {
			return &innowatch.Error{Msg: fmt.Sprintf("bulletin: the warehouse has no mart %s", r.table), Hint: hint, Err: ErrMartMissing}
		}
		var lack []string
		for _, c := range r.columns {
			if !cols[c] {
				lack = append(lack, c)
			}
		}
		if len(lack) > 0 {
			return &innowatch.Error{
				Msg:  fmt.Sprintf("bulletin: mart %s lacks column(s) %s", r.table, strings.Join(lack, ", ")),
				Hint: hint, Err: ErrMartMissing}
		}
	}
	return nil
}

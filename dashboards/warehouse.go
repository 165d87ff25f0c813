package dashboards

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"

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

// A mart the site reads, with the contract columns it needs (docs/MARTS.md).
// Required marts exist since the foundation; the optional ones arrive with
// the models issue, and until then their pages or sections say so.
type mart struct {
	table    string
	columns  []string
	required bool
}

var marts = []mart{
	{"county_vs_province", []string{"region_code", "region_name", "level", "period", "indicator", "value", "unit",
		"decimals", "province_value", "comparison_basis", "units_in_province", "gap", "index_vs_province",
		"above_province", "rank", "peer_count", "missing_reason", "derivation", "status",
		"rank_tied", "rank_note", "basis_note"}, true},
	{"indicator_values", []string{"region_code", "period", "indicator", "value", "status"}, true},
	{"facts_latest", []string{"indicator", "source", "period", "value", "vintage", "loaded_at", "status"}, true},
	// Method parameters the migrations create (0010_models.sql): data, not
	// marts, but the methodology page prints them and the pages name tiers
	// and groups by them.
	{"tier_cutoffs", []string{"tier", "name_zh", "name_en", "max_rank"}, true},
	{"index_parameters", []string{"indicator", "weight", "transform", "per_indicator", "per_scale", "label_zh", "note"}, true},
	{"index_settings", []string{"first_year", "last_year", "min_weight_share"}, true},
	{"index_groups", []string{"code", "name_zh", "name_en", "min_index", "sort_order"}, true},
	{martChanges, []string{"prev_value", "yoy", "yoy_unit", "prev_rank", "rank_change", "rank_change_note"}, false},
	{"city_ranking", []string{"region_code", "region_name", "period", "indicator", "value", "unit", "decimals",
		"rank", "peer_count", "prev_rank", "rank_change", "tier", "tier_name", "gap_to_first_tier",
		"province_value", "gap_to_province", "is_focus", "rank_tied", "rank_note", "rank_change_note", "tier_note",
		"basis_note"}, false},
	{"target_progress", []string{"region_code", "region_name", "year", "as_of_period", "as_of_month", "indicator",
		"target_kind", "description_zh", "target_value", "target_max", "baseline_period", "baseline_value",
		"current_value", "actual_value", "province_value", "completion_pct", "time_progress_pct", "ahead_points",
		"status", "missing_reason", "needed_value", "measure_note"}, false},
	{"innovation_index", []string{"region_code", "region_name", "level", "year", "score", "index_vs_province",
		"performance_group", "group_zh", "components", "rank", "peer_count", "missing_reason"}, false},
	{"innovation_index_components", []string{"region_code", "year", "indicator", "period", "raw_value",
		"intensity_value", "normalised", "weight", "missing_reason"}, false},
	{"monthly_values", []string{"region_code", "period", "year", "month", "indicator", "ytd_value", "month_value"}, false},
}

// martChanges names the models issue's change columns of county_vs_province
// (yoy, rank_change…), checked like a mart of their own.
const martChanges = "county_vs_province.changes"

// ErrMartMissing means a mart the site needs is not in the warehouse.
var ErrMartMissing = errors.New("mart missing from the warehouse")

// checkMarts lists the marts (and change columns) absent from the
// warehouse. A missing required mart is always an error; a missing optional
// one is an error only when requireAll is set.
func checkMarts(ctx context.Context, db *sql.DB, requireAll bool) (missing map[string]bool, err error) {
	rows, err := db.QueryContext(ctx, query("tables"))
	if err != nil {
		return nil, fmt.Errorf("list warehouse tables: %w", err)
	}
	defer rows.Close()
	cols := map[string]map[string]bool{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, fmt.Errorf("list warehouse tables: %w", err)
		}
		if cols[t] == nil {
			cols[t] = map[string]bool{}
		}
		cols[t][c] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list warehouse tables: %w", err)
	}
	missing = map[string]bool{}
	var fatal []string
	for _, m := range marts {
		table, _, _ := strings.Cut(m.table, ".")
		var absent []string
		if cols[table] == nil {
			absent = []string{m.table}
		} else {
			for _, c := range m.columns {
				if !cols[table][c] {
					absent = append(absent, table+"."+c)
				}
			}
		}
		if len(absent) == 0 {
			continue
		}
		missing[m.table] = true
		if m.required || requireAll {
			fatal = append(fatal, absent...)
		}
	}
	if len(fatal) > 0 {
		return nil, &innowatch.Error{
			Msg:  "render: the warehouse lacks " + strings.Join(fatal, ", "),
			Hint: "run innowatch build (or innowatch run) with a version whose models build these marts (docs/MARTS.md)",
			Err:  ErrMartMissing,
		}
	}
	return missing, nil
}

// warehouse is everything the site shows, read once.
type warehouse struct {
	missing    map[string]bool // optional marts not built yet
	catalog    []*indicator
	indicators map[string]*indicator
	regions    map[string]regionRef
	city       string // focus city code
	province   string
	cityMap    *cityMap // nil when no vendored map covers the focus city

	comparisons []*comparison    // county_vs_province
	compIndex   *comparisonIndex // lookups into comparisons, built on first use
	ranking     []*cityRank      // city_ranking
	tiers       []tierCutoff
	tierNames   map[int64]bi   // tier_cutoffs by tier
	progress    []*targetRow   // target_progress
	registers   *registerData  // roster aggregates (registers_page.go); nil when none
	targets     []*plainTarget // targets, as loaded
	index       []*indexRow
	components  []*componentRow
	params      []*indexParam // index_parameters
	settings    *indexSettings
	groups      []*indexGroup
	groupNames  map[string]bi // index_groups by code
	monthly     []*monthRow   // the city's single-month values
	freshness   []*freshRow
	sources     []*sourceRow
	loads       []*loadRow
	unitCounts  []*unitCount

	sample   bool
	dataAsOf time.Time // the latest load; zero without facts

	text texts // while loading
}

func (w *warehouse) has(table string) bool { return !w.missing[table] }

type indicator struct {
	Code                          string
	Name                          bi
	Unit, Kind, Frequency, Better string
	Basis, Numerator, Denominator string
	Flow, Headline                bool
	Scale                         sql.NullFloat64
	Decimals                      int
	Definition                    bi
	ratio                         bool // kind = ratio: changes in 百分点
	partOf                        bool // numerator or denominator of a ratio
	latest                        innowatch.Period
	hasData                       bool
}

// compDecimals are the decimals of the province's comparison value and the
// gap to it: the indicator's own, except that an average of counts per
// unit (0.1 STAR-market listings per county) is a mean, not a count, and
// keeps one decimal rather than rounding to a misleading 0.
func (in *indicator) compDecimals() int {
	if in.Basis == "per_unit" && in.Decimals == 0 {
		return 1
	}
	return in.Decimals
}

type regionRef struct {
	Code, Name, Level, Parent, NameEn string
}

// comparison is one row of county_vs_province.
type comparison struct {
	Region, Name, Level, Indicator         string
	Period                                 innowatch.Period
	Value, Province, Gap, Index            sql.NullFloat64
	Unit, Basis, Reason, Derivation, State sql.NullString
	Decimals, Units, Rank, Peers           sql.NullInt64
	Above                                  sql.NullBool
	// Changes against a year earlier (models issue); valid when built.
	PrevValue, YoY      sql.NullFloat64
	YoYUnit             sql.NullString
	PrevRank, RankDelta sql.NullInt64
	// Ties share a rank (并列); the notes say why a rank or a rank change
	// is missing, and where the per-city basis differs from the division.
	Tied                            bool
	RankNote, ChangeNote, BasisNote sql.NullString
}

type cityRank struct {
	Region, Name, Indicator             string
	Period                              innowatch.Period
	Value, GapFirst, Province, GapProv  sql.NullFloat64
	Unit, TierName                      sql.NullString
	Decimals, Rank, Peers, Prev, Change sql.NullInt64
	Tier                                sql.NullInt64
	Focus                               sql.NullBool
	Tied                                bool
	RankNote, ChangeNote, TierNote      sql.NullString
	BasisNote                           sql.NullString
}

// tierCutoff is a row of tier_cutoffs; a NULL MaxRank takes every rank left.
type tierCutoff struct {
	Tier    int64
	Name    bi
	MaxRank sql.NullInt64
}

// indexParam is a component of the composite index (index_parameters).
type indexParam struct {
	Indicator, Transform, Label string
	Weight                      float64
	PerIndicator, Note          sql.NullString
	PerScale                    sql.NullFloat64
}

// indexSettings is the one row of index_settings.
type indexSettings struct {
	FirstYear      int
	LastYear       sql.NullInt64
	MinWeightShare float64
}

// indexGroup is a performance group (index_groups); NULL MinIndex is the lowest.
type indexGroup struct {
	Code     string
	Name     bi
	MinIndex sql.NullFloat64
}

type targetRow struct {
	Region, Name                    string
	Year, Month                     int
	AsOf                            innowatch.Period
	Indicator, Kind, Description    string
	Target, TargetMax, Baseline     sql.NullFloat64
	BaselinePeriod                  sql.NullString
	Current, Actual, Province       sql.NullFloat64
	Completion, TimeProgress, Ahead sql.NullFloat64
	Status, Reason                  sql.NullString
	Needed                          sql.NullFloat64 // what the target asks for (a total: target − baseline)
	Measure                         sql.NullString  // how the achievement was measured
}

type plainTarget struct {
	Region                              string
	Year                                int
	Indicator, Kind                     string
	Target, TargetMax                   sql.NullFloat64
	BaselinePeriod, Description, Source string
}

type indexRow struct {
	Region, Name, Level     string
	Year                    int
	Score, Index            sql.NullFloat64
	Group, GroupZh, Reason  sql.NullString
	Components, Rank, Peers sql.NullInt64
}

type componentRow struct {
	Region, Indicator                  string
	Year                               int
	Period, Reason                     sql.NullString
	Raw, Intensity, Normalised, Weight sql.NullFloat64
}

type monthRow struct {
	Period     innowatch.Period
	Indicator  string
	YTD, Month sql.NullFloat64
}

type freshRow struct {
	Indicator      string
	Period         innowatch.Period
	Reported, Rows int
	Statuses       string
}

type sourceRow struct {
	Indicator, Source      string
	First, Last            string
	Facts, Values          int
	MinVintage, MaxVintage int64
	LoadedAt               time.Time
	Statuses               string
}

type loadRow struct {
	ID                 int64
	File, Format       string
	Rows, New, Revised int64
	LoadedAt           time.Time
}

type unitCount struct {
	Level   string
	Year, N int
	Source  string
}

// each runs q with args and calls scan for every row.
func each(ctx context.Context, db *sql.DB, name string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, query(name), args...)
	if err != nil {
		return fmt.Errorf("query %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("scan %s: %w", name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query %s: %w", name, err)
	}
	return nil
}

func parsePeriod(s string) (innowatch.Period, error) {
	p, err := innowatch.ParsePeriod(s)
	if err != nil {
		return p, fmt.Errorf("period: %w", err)
	}
	return p, nil
}

package schedule

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
)

// FreshnessRule says when an indicator's data is due. Monthly data for
// month M is due by DueDay of month M+1; annual data for year Y by DueDate
// ("MM-DD") of year Y+1. Exactly one of DueDay and DueDate is set.
type FreshnessRule struct {
	Indicator  string   `yaml:"indicator"`
	DueDay     int      `yaml:"due_day,omitempty"`
	DueDate    string   `yaml:"due_date,omitempty"`
	SkipMonths []int    `yaml:"skip_months,omitempty"` // months never published alone (1: 1-2月 come together)
	Regions    []string `yaml:"regions,omitempty"`     // each must report; empty: any region will do
}

// Stale is an expected period that has not arrived.
type Stale struct {
	Indicator string   `json:"indicator"`
	Period    string   `json:"period"`
	Due       string   `json:"due"`     // the date it was due, YYYY-MM-DD
	Missing   []string `json:"missing"` // region codes without a value; empty when no region has one
	Message   string   `json:"message"`
}

// Check validates the rule on its own (the catalog is checked when it runs).
func (r FreshnessRule) Check() error {
	if r.Indicator == "" {
		return fmt.Errorf("freshness rule without an indicator")
	}
	if (r.DueDay == 0) == (r.DueDate == "") {
		return fmt.Errorf("freshness rule for %s: set due_day (monthly data) or due_date (annual data, MM-DD), not both", r.Indicator)
	}
	if r.DueDay != 0 && (r.DueDay < 1 || r.DueDay > 31) {
		return fmt.Errorf("freshness rule for %s: due_day %d outside 1–31", r.Indicator, r.DueDay)
	}
	if r.DueDate != "" {
		if _, err := time.Parse("01-02", r.DueDate); err != nil {
			return fmt.Errorf("freshness rule for %s: due_date %q is not MM-DD", r.Indicator, r.DueDate)
		}
	}
	for _, m := range r.SkipMonths {
		if m < 1 || m > 12 {
			return fmt.Errorf("freshness rule for %s: skip month %d outside 1–12", r.Indicator, m)
		}
	}
	if len(r.SkipMonths) == 12 {
		return fmt.Errorf("freshness rule for %s: every month skipped", r.Indicator)
	}
	return nil
}

// Expected is the latest period that should have arrived by day (a date in
// the bureau's time zone) and the date it was due.
func (r FreshnessRule) Expected(day time.Time) (innowatch.Period, time.Time) {
	y, m, d := day.Date()
	loc := day.Location()
	if r.DueDate != "" {
		due, _ := time.Parse("01-02", r.DueDate)
		dueThisYear := dueOn(y, due.Month(), due.Day(), loc)
		if day.Before(dueThisYear) {
			return innowatch.Period{Year: y - 2}, dueOn(y-1, due.Month(), due.Day(), loc)
		}
		return innowatch.Period{Year: y - 1}, dueThisYear
	}
	// The month before the current one is due on DueDay of this month.
	p := time.Date(y, m-1, 1, 0, 0, 0, 0, loc)
	if d < min(r.DueDay, daysIn(y, m, loc)) {
		p = p.AddDate(0, -1, 0)
	}
	for slices.Contains(r.SkipMonths, int(p.Month())) {
		p = p.AddDate(0, -1, 0)
	}
	next := p.AddDate(0, 1, 0)
	return innowatch.Period{Year: p.Year(), Month: int(p.Month())}, dueOn(next.Year(), next.Month(), r.DueDay, loc)
}

func dueOn(y int, m time.Month, d int, loc *time.Location) time.Time {
	return time.Date(y, m, min(d, daysIn(y, m, loc)), 0, 0, 0, 0, loc)
}

func daysIn(y int, m time.Month, loc *time.Location) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, loc).Day()
}

//go:embed queries/facts_arrived.sql
var factsArrivedSQL string

// CheckFreshness returns the rules whose expected period has not arrived
// by now (evaluated in loc). A rule naming an indicator that is not in the
// catalog, or whose frequency does not match, is an error.
func CheckFreshness(ctx context.Context, db *sql.DB, cat *innowatch.Catalog, rules []FreshnessRule, now time.Time, loc *time.Location) ([]Stale, error) {
	var stale []Stale
	for _, r := range rules {
		in, err := cat.Indicator(r.Indicator)
		if err != nil {
			return nil, fmt.Errorf("check freshness: %w", err)
		}
		if want := map[bool]string{true: "monthly", false: "annual"}[r.DueDay != 0]; in.Frequency != want {
			return nil, fmt.Errorf("check freshness of %s: the catalog says it is %s; use %s", r.Indicator, in.Frequency,
				map[string]string{"monthly": "due_day", "annual": "due_date"}[in.Frequency])
		}
		period, due := r.Expected(now.In(loc))
		regions := r.Regions
		if regions == nil {
			regions = []string{}
		}
		rows, err := db.QueryContext(ctx, factsArrivedSQL, r.Indicator, period.String(), regions)
		if err != nil {
			return nil, fmt.Errorf("check freshness of %s: %w", r.Indicator, err)
		}
		have := map[string]bool{}
		for rows.Next() {
			var code, latest string
			if err := rows.Scan(&code, &latest); err != nil {
				rows.Close()
				return nil, fmt.Errorf("check freshness of %s: %w", r.Indicator, err)
			}
			have[code] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("check freshness of %s: %w", r.Indicator, err)
		}
		var missing []string
		for _, code := range r.Regions {
			if !have[code] {
				missing = append(missing, code)
			}
		}
		if len(have) > 0 && len(missing) == 0 {
			continue
		}
		st := Stale{Indicator: r.Indicator, Period: period.String(), Due: due.Format(time.DateOnly), Missing: missing}
		who := "no region has reported it"
		if len(missing) > 0 {
			who = "missing for " + strings.Join(missing, ", ")
		}
		st.Message = fmt.Sprintf("%s (%s) for %s was due on %s and has not arrived: %s", in.NameZH, r.Indicator, period, st.Due, who)
		stale = append(stale, st)
	}
	return stale, nil
}

package bulletin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// Vintage records which facts a bulletin was written from: stored with it
// (bulletins.vintage, JSON) and printed in its notes. Vintages are load ids,
// so MaxVintage and LoadIDs say exactly which loads were in.
type Vintage struct {
	MaxVintage    int64    `json:"max_vintage"`
	LoadIDs       []int64  `json:"load_ids"`
	Values        int64    `json:"values"`
	Sources       []string `json:"sources"`
	TargetSources []string `json:"target_sources,omitempty"`
}

// Sample reports whether any fact used comes from the built-in sample.
func (v Vintage) Sample() bool {
	for _, s := range v.Sources {
		if strings.HasPrefix(s, "sample:") {
			return true
		}
	}
	return false
}

// ErrStale means facts were loaded after the marts were last built.
var ErrStale = errors.New("marts older than the facts")

// usedKeys lists the indicators, periods and regions whose values the
// bulletin reads, each as a comma-separated list for vintage.sql.
func usedKeys(ctx context.Context, db *sql.DB, d *Data, province string) (inds, periods, regions string, err error) {
	indSet, perSet, regSet := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, y := range []int{d.Month.Year, d.Month.Year - 1} {
		for m := 1; m <= d.Month.Month; m++ {
			perSet[innowatch.Period{Year: y, Month: m}.String()] = true
		}
	}
	regSet[d.CityCode], regSet[province] = true, true
	for _, s := range d.Sections {
		indSet[s.Indicator.Code] = true
		if s.Indicator.Annual {
			perSet[s.Period.String()], perSet[s.Period.SameLastYear().String()] = true, true
		}
		for _, r := range s.Counties {
			regSet[r.Code] = true
		}
	}
	for _, r := range d.Cities {
		regSet[r.Code] = true
	}
	rows, err := db.QueryContext(ctx, query("target_extra"), d.CityCode, d.Month.Year)
	if err != nil {
		return "", "", "", fmt.Errorf("read targets: %w", err)
	}
	for rows.Next() {
		var ind, base string
		if err := rows.Scan(&ind, &base); err != nil {
			rows.Close()
			return "", "", "", fmt.Errorf("read targets: %w", err)
		}
		indSet[ind] = true
		if base != "" {
			perSet[base] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", "", "", fmt.Errorf("read targets: %w", err)
	}
	parts, err := db.QueryContext(ctx, query("indicator_parts"))
	if err != nil {
		return "", "", "", fmt.Errorf("read indicator parts: %w", err)
	}
	defer parts.Close()
	for parts.Next() {
		var code, num, den string
		if err := parts.Scan(&code, &num, &den); err != nil {
			return "", "", "", fmt.Errorf("read indicator parts: %w", err)
		}
		if indSet[code] {
			indSet[num], indSet[den] = true, true
		}
	}
	if err := parts.Err(); err != nil {
		return "", "", "", fmt.Errorf("read indicator parts: %w", err)
	}
	return joinSet(indSet), joinSet(perSet), joinSet(regSet), nil
}

func joinSet(s map[string]bool) string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func loadVintage(ctx context.Context, db *sql.DB, d *Data) (Vintage, error) {
	inds, periods, regions, err := usedKeys(ctx, db, d, d.Province)
	if err != nil {
		return Vintage{}, err
	}
	var v Vintage
	var ids string
	var stale int64
	if err := db.QueryRowContext(ctx, query("vintage"), inds, periods, regions).Scan(&v.MaxVintage, &ids, &v.Values, &stale); err != nil {
		return Vintage{}, fmt.Errorf("read vintage: %w", err)
	}
	if stale > 0 {
		return Vintage{}, &innowatch.Error{
			Msg:  fmt.Sprintf("bulletin: %d fact(s) loaded since the marts were last built", stale),
			Hint: "run innowatch build first, so the bulletin says what the warehouse holds",
			Err:  ErrStale,
		}
	}
	v.LoadIDs = []int64{}
	for _, s := range strings.Split(ids, ",") {
		if s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Vintage{}, fmt.Errorf("read vintage: load id %q: %w", s, err)
		}
		v.LoadIDs = append(v.LoadIDs, id)
	}
	if v.Sources, err = strings1(ctx, db, query("vintage_sources"), inds, periods, regions); err != nil {
		return Vintage{}, fmt.Errorf("read sources: %w", err)
	}
	if v.TargetSources, err = strings1(ctx, db, query("target_sources"), d.CityCode, d.Month.Year); err != nil {
		return Vintage{}, fmt.Errorf("read target sources: %w", err)
	}
	return v, nil
}

// strings1 reads a one-column result of strings.
func strings1(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

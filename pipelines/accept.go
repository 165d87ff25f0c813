package pipelines

import (
	"fmt"
	"sort"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// Accept is a statistician's confirmation that figures a plausibility check
// refuses are right: `--accept KEY[:REGION[:INDICATOR[:PERIOD]]]=REASON`.
// An empty scope field (or "*") matches everything. The problems it matches
// load as warnings, and the reason is stored with the load (load_accepts).
type Accept struct {
	Key       string
	Region    string // region code, "" for any
	Indicator string // indicator code, "" for any
	Period    string // period as stored (2020, 2020-10), "" for any
	Reason    string
	Rule      string // as written on the command line
	used      bool
}

// AcceptableKeys are the problem keys a statistician may accept: figures
// that are unusual but can be right. Format errors, units and calendar
// errors (a period after today) cannot be accepted.
var AcceptableKeys = []string{"part_exceeds_whole", "ratio_mismatch", "implausible_jump", "provisional_after_final"}

// ParseAccept reads one --accept value; region and indicator may be codes or
// names of the catalog.
func ParseAccept(s string, cat *innowatch.Catalog) (Accept, error) {
	scope, reason, ok := strings.Cut(s, "=")
	reason = strings.TrimSpace(reason)
	if !ok || reason == "" {
		return Accept{}, fmt.Errorf("--accept %q: write KEY[:REGION[:INDICATOR[:PERIOD]]]=REASON, the reason is stored with the load", s)
	}
	parts := strings.Split(scope, ":")
	if len(parts) > 4 {
		return Accept{}, fmt.Errorf("--accept %q: at most KEY:REGION:INDICATOR:PERIOD before '='", s)
	}
	a := Accept{Key: strings.TrimSpace(parts[0]), Reason: reason, Rule: s}
	if indexOf(AcceptableKeys, a.Key) < 0 {
		return Accept{}, fmt.Errorf("--accept %q: %q cannot be accepted; acceptable keys: %s", s, a.Key, strings.Join(AcceptableKeys, ", "))
	}
	field := func(i int) string {
		if i >= len(parts) {
			return ""
		}
		v := strings.TrimSpace(parts[i])
		if v == "*" {
			return ""
		}
		return v
	}
	if v := field(1); v != "" {
		r, err := cat.Region(v)
		if err != nil {
			if r, err = cat.RegionByName(v); err != nil {
				return Accept{}, fmt.Errorf("--accept %q: region %q: %w", s, v, err)
			}
		}
		a.Region = r.Code
	}
	if v := field(2); v != "" {
		in, err := cat.IndicatorByName(v)
		if err != nil {
			return Accept{}, fmt.Errorf("--accept %q: indicator %q: %w", s, v, err)
		}
		a.Indicator = in.Code
	}
	if v := field(3); v != "" {
		p, err := ParsePeriodText(v)
		if err != nil {
			return Accept{}, fmt.Errorf("--accept %q: period %q: %w", s, v, err)
		}
		a.Period = p.String()
	}
	return a, nil
}

func (a *Accept) matches(p Problem) bool {
	return a.Key == p.Key && (a.Region == "" || a.Region == p.Region) &&
		(a.Indicator == "" || a.Indicator == p.Indicator) && (a.Period == "" || a.Period == p.Period)
}

// Accepted is a problem a statistician accepted, stored with the load.
type Accepted struct {
	Problem
	Reason, Rule string
}

// acceptedBy returns the first rule matching p, nil when none.
func acceptedBy(p Problem, rules []*Accept) *Accept {
	for _, a := range rules {
		if a.matches(p) {
			return a
		}
	}
	return nil
}

// acceptOrReport records a plausibility problem: accepted by a rule it
// becomes a warning carrying the reason, otherwise an error.
func (b *Batch) acceptOrReport(p Problem, rules []*Accept) {
	for _, a := range rules {
		if a.matches(p) {
			a.used = true
			p.Severity = SeverityWarning
			p.Hint = "已由 --accept 确认：" + a.Reason
			b.Accepted = append(b.Accepted, Accepted{Problem: p, Reason: a.Reason, Rule: a.Rule})
			b.report(p)
			return
		}
	}
	if p.Hint == "" {
		p.Hint = "若确认无误，用 --accept " + p.Key + ":" + p.Region + ":" + p.Indicator + "=理由 导入（理由随本次导入保存）"
	} else {
		p.Hint += "；若确认无误，用 --accept " + p.Key + ":" + p.Region + ":" + p.Indicator + "=理由 导入"
	}
	b.report(p)
}

// UnusedAccepts lists the rules that matched nothing (a typo in a scope).
func UnusedAccepts(rules []*Accept) []string {
	var out []string
	for _, a := range rules {
		if !a.used {
			out = append(out, a.Rule)
		}
	}
	sort.Strings(out)
	return out
}

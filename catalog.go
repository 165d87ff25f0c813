package innowatch

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
)

// Kind says what sort of number an indicator is; it decides how changes are
// expressed: ratios change in 百分点, amounts and counts in percent.
type Kind string

const (
	KindAmount Kind = "amount"
	KindCount  Kind = "count"
	KindRatio  Kind = "ratio"
)

// Basis is how a county or city figure is compared with the province.
type Basis string

const (
	// BasisRatio compares a ratio with the province's own ratio.
	BasisRatio Basis = "ratio"
	// BasisPerUnit compares with the provincial total divided by the number
	// of units at the same level (136 county-level units in 2020).
	BasisPerUnit Basis = "per_unit"
)

// Indicator is one entry of the catalog. The catalog is data (the indicators
// table); this is its Go view for the pipelines that validate input.
type Indicator struct {
	Code      string
	NameZH    string
	NameEN    string
	Unit      string // the catalog unit every stored value is in
	Kind      Kind
	Flow      bool   // year-to-date cumulative (累计) when monthly
	Frequency string // "annual" or "monthly"
	Better    string // "higher" or "lower"
	Min, Max  *float64
	Basis     Basis
	// Numerator and Denominator name the parts of a derived ratio; Scale is
	// the factor applied to their quotient (100 for a percentage).
	Numerator, Denominator string
	Scale                  float64
	Decimals               int
	// Units maps each accepted input unit to the factor that converts it to
	// Unit: value_in_Unit = value × factor.
	Units map[string]float64
}

// Derived reports whether the indicator is recomputed from its parts.
func (in Indicator) Derived() bool { return in.Numerator != "" && in.Denominator != "" }

// Catalog is the set of indicators and regions the warehouse knows, with the
// aliases used to match names found in files.
type Catalog struct {
	indicators map[string]Indicator
	order      []string
	regions    map[string]Region
	// aliases maps a spelling to every region code it may mean.
	regionAliases    map[string][]string
	indicatorAliases map[string]string
	// focus is the province (or city) whose units win when a name is shared
	// with units elsewhere in the country (河东区 is in Linyi and in Tianjin).
	focus string
}

// SetFocus declares the region inside which an official name that the
// national hierarchy repeats elsewhere is resolved: a file about Linyi's
// counties says 河东区 and means 371312, not Tianjin's 120102.
func (c *Catalog) SetFocus(code string) { c.focus = code }

// within reports whether region code lies in (or is) scope.
func (c *Catalog) within(code, scope string) bool {
	for i := 0; code != "" && i < 8; i++ {
		if code == scope {
			return true
		}
		code = c.regions[code].Parent
	}
	return false
}

// NewCatalog builds a catalog. Region names and short names are aliases of
// their region without being listed.
func NewCatalog(indicators []Indicator, regions []Region, regionAliases map[string][]string, indicatorAliases map[string]string) *Catalog {
	c := &Catalog{
		indicators:       map[string]Indicator{},
		regions:          map[string]Region{},
		regionAliases:    map[string][]string{},
		indicatorAliases: map[string]string{},
	}
	for _, in := range indicators {
		c.indicators[in.Code] = in
		c.order = append(c.order, in.Code)
		c.indicatorAliases[normName(in.NameZH)] = in.Code
		c.indicatorAliases[normName(in.NameEN)] = in.Code
	}
	add := func(alias, code string) {
		k := normName(alias)
		if k == "" {
			return
		}
		for _, have := range c.regionAliases[k] {
			if have == code {
				return
			}
		}
		c.regionAliases[k] = append(c.regionAliases[k], code)
	}
	for _, r := range regions {
		c.regions[r.Code] = r
		add(r.Name, r.Code)
		add(r.ShortName, r.Code)
	}
	for alias, codes := range regionAliases {
		for _, code := range codes {
			add(alias, code)
		}
	}
	for alias, code := range indicatorAliases {
		c.indicatorAliases[normName(alias)] = code
	}
	return c
}

// Indicators lists the catalog in its declared order.
func (c *Catalog) Indicators() []Indicator {
	out := make([]Indicator, 0, len(c.order))
	for _, code := range c.order {
		out = append(out, c.indicators[code])
	}
	return out
}

// Regions lists every region, sorted by code.
func (c *Catalog) Regions() []Region {
	out := make([]Region, 0, len(c.regions))
	for _, r := range c.regions {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Indicator looks an indicator up by code.
func (c *Catalog) Indicator(code string) (Indicator, error) {
	if in, ok := c.indicators[code]; ok {
		return in, nil
	}
	return Indicator{}, &Error{
		Msg:  fmt.Sprintf("unknown indicator %q", code),
		Hint: hintClosest(code, c.order),
		Err:  ErrUnknownIndicator,
	}
}

// IndicatorByName matches a code, a Chinese or English name, or a declared alias.
func (c *Catalog) IndicatorByName(name string) (Indicator, error) {
	if in, ok := c.indicators[strings.TrimSpace(name)]; ok {
		return in, nil
	}
	if code, ok := c.indicatorAliases[normName(name)]; ok {
		return c.indicators[code], nil
	}
	names := make([]string, 0, len(c.indicatorAliases))
	for k := range c.indicatorAliases {
		names = append(names, k)
	}
	return Indicator{}, &Error{
		Msg:  fmt.Sprintf("unknown indicator %q", name),
		Hint: hintClosest(normName(name), names),
		Err:  ErrUnknownIndicator,
	}
}

// Region looks a region up by code.
func (c *Catalog) Region(code string) (Region, error) {
	if r, ok := c.regions[code]; ok {
		return r, nil
	}
	codes := make([]string, 0, len(c.regions))
	for k := range c.regions {
		codes = append(codes, k)
	}
	return Region{}, &Error{
		Msg:  fmt.Sprintf("unknown region code %q", code),
		Hint: hintClosest(code, codes),
		Err:  ErrUnknownRegion,
	}
}

// KnowsRegionName reports whether name is a name, short name or alias of a
// region of today's table, even of several: such a name is never read as a
// former name (a current name wins).
func (c *Catalog) KnowsRegionName(name string) bool { return len(c.regionAliases[normName(name)]) > 0 }

// InFocus reports whether the region code lies in the focus; false without one.
func (c *Catalog) InFocus(code string) bool { return c.focus != "" && c.within(code, c.focus) }

// RegionByName matches a name through the names and the explicit alias table
// only; an ambiguous or unknown name is an error with the candidates.
func (c *Catalog) RegionByName(name string) (Region, error) {
	k := normName(name)
	codes := c.regionAliases[k]
	if len(codes) > 1 && c.focus != "" {
		var inFocus []string
		for _, code := range codes {
			if c.within(code, c.focus) {
				inFocus = append(inFocus, code)
			}
		}
		if len(inFocus) == 1 {
			codes = inFocus
		}
	}
	switch len(codes) {
	case 1:
		return c.regions[codes[0]], nil
	case 0:
		names := make([]string, 0, len(c.regionAliases))
		for a := range c.regionAliases {
			names = append(names, a)
		}
		return Region{}, &Error{
			Msg:  fmt.Sprintf("unknown region name %q", name),
			Hint: hintClosest(k, names),
			Err:  ErrUnknownRegion,
		}
	}
	var cands []string
	for _, code := range codes {
		cands = append(cands, code+" "+c.regions[code].Name)
	}
	sort.Strings(cands)
	return Region{}, &Error{
		Msg:  fmt.Sprintf("region name %q is ambiguous", name),
		Hint: "use the region code; candidates: " + strings.Join(cands, ", "),
		Err:  ErrUnknownRegion,
	}
}

// Convert turns a value given in unit into the indicator's catalog unit.
// An empty unit means the catalog unit.
func (c *Catalog) Convert(in Indicator, value float64, unit string) (float64, error) {
	unit = strings.TrimSpace(unit)
	if unit == "" || unit == in.Unit {
		return value, nil
	}
	f, ok := in.Units[unit]
	if !ok {
		accepted := []string{in.Unit}
		for u := range in.Units {
			if u != in.Unit {
				accepted = append(accepted, u)
			}
		}
		sort.Strings(accepted[1:])
		return 0, &Error{
			Msg:  fmt.Sprintf("unit %q not accepted for %s (%s)", unit, in.Code, in.NameZH),
			Hint: "accepted units: " + strings.Join(accepted, ", "),
			Err:  ErrUnknownUnit,
		}
	}
	return value * f, nil
}

// CheckRange reports a value outside the indicator's declared range.
func (in Indicator) CheckRange(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%w: %v is not a finite number", ErrOutOfRange, v)
	}
	if in.Min != nil && v < *in.Min || in.Max != nil && v > *in.Max {
		return fmt.Errorf("%w: %s must be within %s, got %s", ErrOutOfRange, in.Code, in.rangeText(), FormatFloat(v))
	}
	return nil
}

func (in Indicator) rangeText() string {
	lo, hi := "−∞", "+∞"
	if in.Min != nil {
		lo = FormatFloat(*in.Min)
	}
	if in.Max != nil {
		hi = FormatFloat(*in.Max)
	}
	return "[" + lo + ", " + hi + "] " + in.Unit
}

// FormatFloat prints a float without exponent or trailing zeros.
func FormatFloat(v float64) string {
	s := fmt.Sprintf("%.6f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// missingMarkers are the spellings of "not reported" in Chinese statistical
// tables (DOMAIN.md §4). They are stored as missing, never as zero.
var missingMarkers = map[string]bool{
	"": true, "—": true, "——": true, "－": true, "-": true, "--": true, "…": true, "……": true,
	"...": true, "/": true, "／": true, "空": true, "NA": true, "N/A": true, "null": true, "NULL": true,
}

// IsMissingMarker reports whether s (trimmed) means "not reported".
func IsMissingMarker(s string) bool { return missingMarkers[strings.TrimSpace(s)] }

func normName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Join(strings.Fields(s), "")
	return strings.ToLower(s)
}

// hintClosest names up to three known names nearest to s by edit distance.
func hintClosest(s string, known []string) string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, k := range known {
		if k == "" {
			continue
		}
		cs = append(cs, cand{k, editDistance(s, k)})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var names []string
	for i := 0; i < len(cs) && i < 3; i++ {
		names = append(names, cs[i].name)
	}
	if len(names) == 0 {
		return ""
	}
	return "closest known: " + strings.Join(names, ", ")
}

// editDistance is the Levenshtein distance over runes, so that a Chinese
// character counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// CatalogSource gives the catalog when a step first needs it. A job whose
// input files are all recognised as loaded before never reads a file, so
// it never needs the catalog: the pipelines ask for it only when they parse.
// A *Catalog is its own source.
type CatalogSource interface {
	Catalog() (*Catalog, error)
}

// Catalog returns c itself: a loaded catalog is a source that never fails.
func (c *Catalog) Catalog() (*Catalog, error) { return c, nil }

// LazyCatalog is a source that calls load the first time the catalog is
// asked for and then returns what it returned, error included.
func LazyCatalog(load func() (*Catalog, error)) CatalogSource {
	return &lazyCatalog{load: load}
}

type lazyCatalog struct {
	once sync.Once
	load func() (*Catalog, error)
	cat  *Catalog
	err  error
}

func (l *lazyCatalog) Catalog() (*Catalog, error) {
	l.once.Do(func() { l.cat, l.err = l.load() })
	return l.cat, l.err
}

// Package synth generates deterministic, plausible canonical input files at
// city, province or national scale, for benchmarks and load tests. The data
// is simulated; it is built bottom-up so that parts add up (counties ≤ city ≤
// province ≤ country), year-to-date flows never fall within a year, and
// ratios follow from their parts (only the parts are written).
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/linyi-sti/innowatch"
)

// Scale selects the regions generated.
type Scale string

const (
	// ScaleCity is the focus city, its counties and zones, its province and
	// the province's other cities (what the Linyi product compares).
	ScaleCity Scale = "city"
	// ScaleProvince is a province with all its cities, counties and zones.
	ScaleProvince Scale = "province"
	// ScaleNational is the country, every province, city, county and zone.
	ScaleNational Scale = "national"
)

// Options for Generate.
type Options struct {
	Scale    Scale
	City     string // focus city code (ScaleCity)
	Province string // province code (ScaleCity, ScaleProvince)
	Seed     uint64
	ToYear   int // last year generated
	Years    int // number of years (default 10)
	// Rows, when > 0, is the exact number of data rows to write: years are
	// added backwards until the file is long enough, then it is cut.
	Rows int64
}

// Header is the canonical long CSV header written.
const Header = "region_code,period,indicator,value,unit,status,note\n"

type indicatorSpec struct {
	code    string
	unit    string
	monthly bool
	flow    bool
	count   bool
	// level for a county of size 1 in the last year, and yearly growth
	base, growth float64
}

// The base (non-derived) catalog indicators. Levels are those of a middling
// Shandong county around 2020.
var specs = []indicatorSpec{
	{code: "gdp", unit: "亿元", base: 300, growth: 0.065},
	{code: "rd_expenditure", unit: "亿元", base: 6, growth: 0.10},
	{code: "hitech_output", unit: "亿元", monthly: true, flow: true, base: 160, growth: 0.09},
	{code: "industrial_output", unit: "亿元", monthly: true, flow: true, base: 420, growth: 0.05},
	{code: "tech_contract_turnover", unit: "亿元", monthly: true, flow: true, base: 4, growth: 0.2},
	{code: "achievements_transferred", unit: "项", monthly: true, flow: true, count: true, base: 15, growth: 0.08},
	{code: "key_tech_breakthroughs", unit: "项", monthly: true, flow: true, count: true, base: 7, growth: 0.08},
	{code: "hitech_enterprises", unit: "家", monthly: true, count: true, base: 45, growth: 0.15},
	{code: "tech_smes", unit: "家", monthly: true, count: true, base: 90, growth: 0.18},
	{code: "platforms", unit: "个", monthly: true, count: true, base: 40, growth: 0.1},
	{code: "incubators", unit: "家", monthly: true, count: true, base: 3, growth: 0.08},
	{code: "incubation_area", unit: "万平方米", monthly: true, base: 15, growth: 0.06},
	{code: "star_market_listings", unit: "家", monthly: true, count: true, base: 0.2, growth: 0.3},
}

// Seasonal weights of monthly flows (January and February are low).
var seasonal = [12]float64{0.055, 0.05, 0.08, 0.082, 0.085, 0.09, 0.085, 0.085, 0.09, 0.092, 0.098, 0.108}

// Months in which stocks step up (certification batches), as the share of
// the year's increase reached by that month.
var stockSteps = [12]float64{0, 0, 0, 0.15, 0.15, 0.15, 0.5, 0.5, 0.5, 0.8, 0.8, 1}

// tree is the selected region hierarchy, leaves first when walked bottom-up.
type tree struct {
	regions  []innowatch.Region // sorted by code
	children map[string][]string
	byLevel  map[innowatch.Level][]string
}

func selectRegions(all []innowatch.Region, opt Options) (*tree, error) {
	byCode := map[string]innowatch.Region{}
	for _, r := range all {
		byCode[r.Code] = r
	}
	keep := map[string]bool{}
	switch opt.Scale {
	case ScaleNational:
		for _, r := range all {
			if r.ValidTo == 0 {
				keep[r.Code] = true
			}
		}
	case ScaleProvince, ScaleCity:
		if _, ok := byCode[opt.Province]; !ok {
			return nil, fmt.Errorf("unknown province %q", opt.Province)
		}
		keep[opt.Province] = true
		for _, r := range all {
			if r.ValidTo != 0 || r.Level == innowatch.LevelProvince || r.Level == innowatch.LevelCountry {
				continue
			}
			p := r.Parent
			if r.Level == innowatch.LevelCity && p == opt.Province {
				keep[r.Code] = true
				continue
			}
			if r.Level == innowatch.LevelCounty || r.Level == innowatch.LevelZone {
				if opt.Scale == ScaleCity && p == opt.City ||
					opt.Scale == ScaleProvince && (p == opt.Province || byCode[p].Parent == opt.Province) {
					keep[r.Code] = true
				}
			}
		}
		if opt.Scale == ScaleCity && !keep[opt.City] {
			return nil, fmt.Errorf("city %q is not a city of %s", opt.City, opt.Province)
		}
	default:
		return nil, fmt.Errorf("unknown scale %q (city, province or national)", opt.Scale)
	}
	t := &tree{children: map[string][]string{}, byLevel: map[innowatch.Level][]string{}}
	for code := range keep {
		r := byCode[code]
		t.regions = append(t.regions, r)
	}
	sort.Slice(t.regions, func(i, j int) bool { return t.regions[i].Code < t.regions[j].Code })
	for _, r := range t.regions {
		t.byLevel[r.Level] = append(t.byLevel[r.Level], r.Code)
		if keep[r.Parent] && r.Level != innowatch.LevelZone {
			t.children[r.Parent] = append(t.children[r.Parent], r.Code)
		}
	}
	return t, nil
}

// Generate writes one long CSV of every region, period and base indicator.
// It returns the number of data rows written.
func Generate(w io.Writer, regions []innowatch.Region, opt Options) (int64, error) {
	if opt.Years <= 0 {
		opt.Years = 10
	}
	if opt.ToYear == 0 {
		opt.ToYear = 2020
	}
	t, err := selectRegions(regions, opt)
	if err != nil {
		return 0, err
	}
	perYear := int64(0)
	for _, s := range specs {
		if s.monthly {
			perYear += 12
		} else {
			perYear++
		}
	}
	perYear *= int64(len(t.regions))
	years := opt.Years
	if opt.Rows > 0 && int64(years)*perYear < opt.Rows {
		years = int((opt.Rows + perYear - 1) / perYear)
	}
	g := &gen{t: t, seed: opt.Seed, to: opt.ToYear, level: map[string]innowatch.Level{}}
	for _, r := range t.regions {
		g.level[r.Code] = r.Level
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := bw.WriteString(Header); err != nil {
		return 0, err
	}
	var n int64
	line := make([]byte, 0, 128)
	for y := opt.ToYear - years + 1; y <= opt.ToYear; y++ {
		status := "final"
		if y == opt.ToYear {
			status = "provisional"
		}
		for m := 0; m <= 12; m++ { // m == 0: the annual indicators
			vals := g.period(y, m)
			for _, r := range t.regions {
				for si, s := range specs {
					if s.monthly != (m > 0) {
						continue
					}
					if opt.Rows > 0 && n == opt.Rows {
						return n, bw.Flush()
					}
					line = line[:0]
					line = append(line, r.Code...)
					line = append(line, ',')
					line = strconv.AppendInt(line, int64(y), 10)
					if m > 0 {
						line = append(line, '-', byte('0'+m/10), byte('0'+m%10))
					}
					line = append(line, ',')
					line = append(line, s.code...)
					line = append(line, ',')
					dec := 2
					if s.count {
						dec = 0
					} else if s.unit == "万平方米" {
						dec = 1
					}
					v, ok := vals[r.Code]
					if !ok {
						return n, fmt.Errorf("generate: no values for %s (%s)", r.Code, r.Level)
					}
					line = strconv.AppendFloat(line, v[si], 'f', dec, 64)
					line = append(line, ',')
					line = append(line, s.unit...)
					line = append(line, ',')
					line = append(line, status...)
					line = append(line, ",\n"...)
					if _, err := bw.Write(line); err != nil {
						return n, err
					}
					n++
				}
			}
		}
	}
	return n, bw.Flush()
}

// A region generated without its children (a city at city scale) is as
// large as the children it stands for.
var leafScale = map[innowatch.Level]float64{
	innowatch.LevelZone: 0.3, innowatch.LevelCounty: 1, innowatch.LevelCity: 9,
	innowatch.LevelProvince: 100, innowatch.LevelCountry: 2800,
}

type gen struct {
	level map[string]innowatch.Level
	t     *tree
	seed  uint64
	to    int
}

// period computes every region's values for year y and month m (0 for the
// annual indicators): leaves from their own size, parents as the sum of their
// children plus a small unallocated share, so that parts never exceed wholes.
func (g *gen) period(y, m int) map[string][]float64 {
	vals := make(map[string][]float64, len(g.t.regions))
	for _, lvl := range []innowatch.Level{innowatch.LevelCounty, innowatch.LevelZone} {
		for _, code := range g.t.byLevel[lvl] {
			if len(g.t.children[code]) == 0 {
				vals[code] = g.leaf(code, y, m)
			}
		}
	}
	for _, lvl := range []innowatch.Level{innowatch.LevelCity, innowatch.LevelProvince, innowatch.LevelCountry} {
		for _, code := range g.t.byLevel[lvl] {
			kids := g.t.children[code]
			if len(kids) == 0 {
				vals[code] = g.leaf(code, y, m)
				continue
			}
			v := make([]float64, len(specs))
			for si, s := range specs {
				if s.monthly != (m > 0) {
					continue
				}
				sum := 0.0
				for _, k := range kids {
					sum += vals[k][si]
				}
				extra := 1 + 0.005 + 0.02*g.unit(code, si, 0, 7)
				v[si] = round(sum*extra, s)
			}
			vals[code] = v
		}
	}
	return vals
}

// maxBack is how many years before the last one the levels keep shrinking;
// earlier years (--rows beyond the default ten, whose bytes this leaves as
// they were) hold that year's levels, with their own noise. Shrunk further, a county's count of a few a year
// rounds to 0 in one month and to 1 in the next in step with thousands of
// others, and a country's year-to-date count jumps 20-fold from February to
// March (11 to 258 in 1999), which ingest's plausibility check rightly
// refuses: 10 million generated rows would not load.
const maxBack = 9

// leaf is a county's (or a zone's) value of every indicator.
func (g *gen) leaf(code string, y, m int) []float64 {
	size := math.Exp(1.2*(g.unit(code, 0, 0, 1)-0.5)) * leafScale[g.level[code]] // 0.55 … 1.8 counties

	v := make([]float64, len(specs))
	back := math.Min(float64(g.to-y), maxBack)
	for si, s := range specs {
		if s.monthly != (m > 0) {
			continue
		}
		mix := 0.6 + 0.8*g.unit(code, si, 0, 2) // how strong this county is in this indicator
		growth := s.growth * (0.7 + 0.6*g.unit(code, si, 0, 3))
		annual := s.base * size * mix / math.Pow(1+growth, back)
		noise := 1 + 0.04*(g.unit(code, si, y, 4)-0.5)
		annual *= noise
		switch {
		case !s.monthly:
			v[si] = round(annual, s)
		case s.flow:
			cum := 0.0
			for k := 0; k < m; k++ {
				cum += seasonal[k]
			}
			v[si] = round(annual*cum, s)
		default: // stock: last year's level plus this year's steps
			prevBack := back + 1
			if g.to-y > maxBack {
				prevBack = maxBack // held: the year starts where it ends
			}
			prev := s.base * size * mix / math.Pow(1+growth, prevBack) * (1 + 0.04*(g.unit(code, si, y-1, 4)-0.5))
			if prev > annual {
				prev = annual
			}
			v[si] = round(prev+(annual-prev)*stockSteps[m-1], s)
		}
	}
	return v
}

func round(v float64, s indicatorSpec) float64 {
	switch {
	case s.count:
		return math.Floor(v + 0.5)
	case s.unit == "万平方米":
		return math.Floor(v*10+0.5) / 10
	}
	return math.Floor(v*100+0.5) / 100
}

// unit is a deterministic pseudo-random number in [0, 1) for its inputs.
func (g *gen) unit(code string, si, y, salt int) float64 {
	h := g.seed ^ 0x9e3779b97f4a7c15
	for i := 0; i < len(code); i++ {
		h = mix64(h ^ uint64(code[i]))
	}
	h = mix64(h ^ uint64(si)<<32 ^ uint64(y)<<8 ^ uint64(salt))
	return float64(h>>11) / (1 << 53)
}

func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

package sample

import (
	"fmt"
	"math"
)

// spreadSpec says how one indicator's province and Linyi series spread to
// the other 15 cities, Linyi's 12 counties and the high-tech zone.
type spreadSpec struct {
	indicator string
	unit      unit
	resets    bool // year-to-date flow: accumulations restart each January
	// cityW and countyW weigh child i at period p (15 other cities, 12 counties).
	cityW, countyW func(i, p int) float64
	// cityCov and countyCov bound the share of the parent the children add
	// up to; the rest is reported only at the parent level (省直、市直).
	cityCov, countyCov [2]float64
	// zone, when set, is the zone's series; otherwise zoneFrac of Linyi's.
	zone     series
	zoneFrac float64
}

// spread emits the facts of one indicator for every region and returns the
// series by region code. prov may be nil: the indicator is then reported by
// Linyi, its counties and the zone only.
func (g *generator) spread(t timeline, s spreadSpec, prov, linyi series) (map[string]series, error) {
	wrap := func(err error) error { return fmt.Errorf("%s: %w", s.indicator, err) }
	out := map[string]series{linyiCode: linyi}
	// Stocks keep one coverage for the whole timeline, so a stock never
	// dips at a year end; flows draw one per year.
	frac := func(r [2]float64) func(int) float64 {
		if s.resets {
			return perYear(t, drawFracs(g.rng, r[0], r[1]))
		}
		return constFrac(between(g.rng, r[0], r[1]))
	}
	if prov != nil {
		out[provinceCode] = prov
		sum, err := scale(t, prov, s.resets, frac(s.cityCov))
		if err != nil {
			return nil, wrap(err)
		}
		others := otherCities()
		parts, err := allocate(t, minus(sum, linyi), s.resets, len(others), weightsOf(len(others), s.cityW), g.rng)
		if err != nil {
			return nil, wrap(fmt.Errorf("cities: %w", err))
		}
		for i, c := range others {
			out[c.code] = parts[i]
		}
	}
	sum, err := scale(t, linyi, s.resets, frac(s.countyCov))
	if err != nil {
		return nil, wrap(err)
	}
	parts, err := allocate(t, sum, s.resets, len(counties), weightsOf(len(counties), s.countyW), g.rng)
	if err != nil {
		return nil, wrap(fmt.Errorf("counties: %w", err))
	}
	for i, c := range counties {
		out[c.code] = parts[i]
	}
	zone := s.zone
	if zone == nil {
		f := constFrac(s.zoneFrac * jitter(g.rng, 0.05))
		if s.resets {
			var fs [5]float64
			for i := range fs {
				fs[i] = s.zoneFrac * jitter(g.rng, 0.05)
			}
			f = perYear(t, fs)
		}
		if zone, err = scale(t, linyi, s.resets, f); err != nil {
			return nil, wrap(err)
		}
	}
	out[zoneCode] = zone
	for _, code := range regionCodes(prov != nil) {
		g.emit(&g.monthly, code, s.indicator, t, out[code], s.unit)
	}
	return out, nil
}

func weightsOf(n int, w func(i, p int) float64) func(p int) []float64 {
	return func(p int) []float64 {
		ws := make([]float64, n)
		for i := range ws {
			ws[i] = w(i, p)
		}
		return ws
	}
}

// regionCodes lists every region in the sample, or only Linyi, its counties
// and the zone.
func regionCodes(all bool) []string {
	var codes []string
	if all {
		codes = append(codes, provinceCode)
		for _, c := range cities {
			codes = append(codes, c.code)
		}
	} else {
		codes = append(codes, linyiCode)
	}
	for _, c := range counties {
		codes = append(codes, c.code)
	}
	return append(codes, zoneCode)
}

// emit appends a series as facts.
func (g *generator) emit(dst *[]fact, region, indicator string, t timeline, s series, u unit) {
	for p, v := range s {
		*dst = append(*dst, fact{
			region: region, period: t.labels[p], indicator: indicator,
			year: t.years[p], value: v, unit: u,
		})
	}
}

// trend grows a 2019 weight back and forth in time by a yearly rate.
func trend(w, rate float64, year int) float64 { return w * math.Pow(1+rate, float64(year-2019)) }

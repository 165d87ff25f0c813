package sample

import "math"

// Monthly facts: year-to-date flows (1-N月累计) here, stocks in stocks.go.

// Seasonal profiles: each month's share of the year for 2019 and 2020.
// January and February are low (Spring Festival); 2020's first quarter is
// hit by COVID-19, so 2020-02 and 2020-03 year-to-date fall below 2019's.
var (
	profileOutput = [2][12]float64{
		{6.5, 5.5, 8.5, 8.3, 8.5, 9.0, 8.0, 8.2, 8.8, 8.6, 9.2, 10.9},
		{5.8, 3.6, 7.4, 8.2, 8.6, 9.3, 8.4, 8.6, 9.2, 9.1, 9.6, 12.2},
	}
	profileContracts = [2][12]float64{ // registrations crowd into December
		{3, 4, 7, 7, 8, 8, 8, 8, 9, 9, 10, 19},
		{2, 1.5, 4, 6.5, 8, 9, 9.5, 9.5, 10, 10.5, 11, 18.5},
	}
	profileCounts = [2][12]float64{ // about 76% of the year's count by October
		{4, 4, 8, 8, 8, 9, 9, 9, 9, 9, 10, 13},
		{2, 1, 4, 7, 8, 10, 9, 9, 12, 14, 11, 13},
	}
)

// Annual totals of the flows, 2016–2020 in catalog units (simulated).
var (
	provIndustrial  = [5]float64{78000, 81500, 83000, 85500, 87900}
	linyiIndustrial = [5]float64{4200, 4380, 4520, 4650, 4850}
	// High-tech share of industrial output, % at December YTD. 2019 and
	// 2020 are the design values of the brief; earlier years are smooth.
	provShare        = [5]float64{35.5, 35.0, 36.9, 40.1, 41.6}
	linyiShare       = [5]float64{30.5, 32.0, 33.8, 35.6, 37.4}
	provContracts    = [5]float64{400, 480, 880, 1145, 1700}
	linyiContracts   = [5]float64{12, 15, 28, 38, 57}
	linyiBreakthru   = [5]float64{40, 52, 61, 72, 105}
	linyiTransfers   = [5]float64{110, 130, 145, 160, 215}
	cityCovMonthly   = [2]float64{0.975, 0.993}
	countyCovMonthly = [2]float64{0.955, 0.985}
)

func (g *generator) buildMonthly() error {
	t := monthlyTimeline()
	if err := g.buildFlows(t); err != nil {
		return err
	}
	return g.buildStocks(t)
}

func (g *generator) buildFlows(t timeline) error {
	others := otherCities()
	n := len(t.labels)
	// One activity noise per unit and month, shared by industrial and
	// high-tech output so that a unit's share stays steady.
	act := noiseTable(g.rng, len(others), n, 0.08)
	cAct := noiseTable(g.rng, len(counties), n, 0.08)

	provInd := g.flowSeries(t, g.totals(provIndustrial, 0.01, 2), profileOutput)
	linyiInd := g.flowSeries(t, g.totals(linyiIndustrial, 0.01, 2), profileOutput)
	ind, err := g.spread(t, spreadSpec{
		indicator: "industrial_output", unit: unitYi, resets: true,
		cityW:   func(i, p int) float64 { return others[i].ind * act[i][p] },
		countyW: func(i, p int) float64 { return counties[i].ind * cAct[i][p] },
		cityCov: cityCovMonthly, countyCov: countyCovMonthly, zoneFrac: zoneIndFrac,
	}, provInd, linyiInd)
	if err != nil {
		return err
	}

	provHi := hitechSeries(t, provInd, g.shares(provShare), between(g.rng, 0, 0.4))
	linyiHi := hitechSeries(t, linyiInd, g.shares(linyiShare), between(g.rng, 0, 0.4))
	var zs [5]float64
	for i := range zs {
		zs[i] = zoneShare * jitter(g.rng, 0.03)
	}
	zoneHi, err := scale(t, ind[zoneCode], true, perYear(t, zs))
	if err != nil {
		return err
	}
	hn := noiseTable(g.rng, len(others), n, 0.02)
	chn := noiseTable(g.rng, len(counties), n, 0.02)
	if _, err := g.spread(t, spreadSpec{
		indicator: "hitech_output", unit: unitYi, resets: true,
		cityW:   func(i, p int) float64 { return others[i].ind * others[i].share * act[i][p] * hn[i][p] },
		countyW: func(i, p int) float64 { return counties[i].ind * counties[i].share * cAct[i][p] * chn[i][p] },
		cityCov: cityCovMonthly, countyCov: countyCovMonthly, zone: zoneHi,
	}, provHi, linyiHi); err != nil {
		return err
	}

	cn := noiseTable(g.rng, len(others), n, 0.15)
	ccn := noiseTable(g.rng, len(counties), n, 0.15)
	if _, err := g.spread(t, spreadSpec{
		indicator: "tech_contract_turnover", unit: unitYi, resets: true,
		cityW:   func(i, p int) float64 { return others[i].innov * cn[i][p] },
		countyW: func(i, p int) float64 { return counties[i].innov * ccn[i][p] },
		cityCov: cityCovMonthly, countyCov: countyCovMonthly, zoneFrac: 0.2,
	}, g.flowSeries(t, g.totals(provContracts, 0.015, 2), profileContracts),
		g.flowSeries(t, g.totals(linyiContracts, 0.03, 2), profileContracts)); err != nil {
		return err
	}

	// Only Linyi tracks these two (they are targets of its own policy).
	for _, f := range []struct {
		code   string
		totals [5]float64
	}{
		{"key_tech_breakthroughs", linyiBreakthru},
		{"achievements_transferred", linyiTransfers},
	} {
		noise := noiseTable(g.rng, len(counties), n, 0.25)
		if _, err := g.spread(t, spreadSpec{
			indicator: f.code, unit: unitXiang, resets: true,
			countyW:   func(i, p int) float64 { return counties[i].innov * noise[i][p] },
			countyCov: countyCovMonthly, zoneFrac: 0.15,
		}, nil, g.flowSeries(t, g.totals(f.totals, 0.03, 0), profileCounts)); err != nil {
			return err
		}
	}
	return nil
}

// totals jitters annual totals by ±pct and converts them to minor units.
func (g *generator) totals(v [5]float64, pct float64, decimals int) [5]int64 {
	var out [5]int64
	for i, x := range v {
		out[i] = roundTo(x*jitter(g.rng, pct), decimals)
	}
	return out
}

// shares jitters the historical shares; 2019 and 2020 are design values.
func (g *generator) shares(v [5]float64) [5]float64 {
	for i := range 3 {
		v[i] += between(g.rng, -0.3, 0.3)
	}
	return v
}

// flowSeries spreads annual totals over the months by a seasonal profile
// (jittered a little per series) and accumulates them year to date.
func (g *generator) flowSeries(t timeline, totals [5]int64, profile [2][12]float64) series {
	var cum [2][12]float64
	for y := range 2 {
		var w [12]float64
		var sum float64
		for m := range 12 {
			w[m] = profile[y][m] * jitter(g.rng, 0.03)
			sum += w[m]
		}
		var run float64
		for m := range 12 {
			run += w[m]
			cum[y][m] = run / sum
		}
		cum[y][11] = 1
	}
	out := make(series, len(t.labels))
	for p := range out {
		total := totals[t.yearIndex(p)]
		if t.years[p] < 2019 {
			out[p] = total // year-end history: the whole year
			continue
		}
		out[p] = int64(math.Round(float64(total) * cum[t.years[p]-2019][t.months[p]-1]))
	}
	return out
}

// hitechSeries derives high-tech output from industrial output and the
// December share; within 2019 and 2020 the share climbs by drift points
// from January to December.
func hitechSeries(t timeline, ind series, share [5]float64, drift float64) series {
	out := make(series, len(ind))
	for p := range ind {
		s := share[t.yearIndex(p)]
		if t.years[p] >= 2019 {
			s -= drift * float64(12-t.months[p]) / 11
		}
		out[p] = int64(math.Round(float64(ind[p]) * s / 100))
	}
	return out
}

package sample

// Monthly stocks at period end. Certifications and recognitions come in
// batches, so a stock steps up in a few months of the year and is flat in
// between; Linyi steps in the same months as the province.

// step is a month in which a stock rises, with the fraction of the year's
// rise reached by then (the last step of a year has frac 1).
type step struct {
	month int
	frac  float64
}

// stockSeries builds a stock from its year ends (2016–2020) and the batch
// months of 2019 and 2020.
func stockSeries(t timeline, ends [5]int64, steps []step) series {
	out := make(series, len(t.labels))
	for p := range out {
		y := t.yearIndex(p)
		if t.years[p] < 2019 {
			out[p] = ends[y]
			continue
		}
		var f float64
		for _, s := range steps {
			if s.month <= t.months[p] {
				f = s.frac
			}
		}
		out[p] = ends[y-1] + int64(float64(ends[y]-ends[y-1])*f+0.5)
	}
	return out
}

var (
	stepsEnterprises = []step{{7, 0.30}, {10, 0.62}, {12, 1}}
	stepsSMEs        = []step{{3, 0.15}, {5, 0.35}, {7, 0.55}, {9, 0.75}, {11, 0.90}, {12, 1}}
	stepsPlatforms   = []step{{6, 0.30}, {9, 0.60}, {12, 1}}
	stepsIncubators  = []step{{9, 0.50}, {12, 1}}
	stepsArea        = []step{{6, 0.25}, {9, 0.60}, {12, 1}}

	// STAR Market (opened July 2019): cumulative listed companies, month by
	// month for 2019 and 2020; zero before.
	provListings  = [2][12]int64{{0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3}, {3, 3, 4, 5, 5, 6, 8, 9, 10, 11, 12, 13}}
	linyiListings = [2][12]int64{{}, {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}}
)

func (g *generator) buildStocks(t timeline) error {
	others := otherCities()
	n := len(t.labels)
	type plan struct {
		indicator   string
		unit        unit
		prov, linyi series
		cityW       func(c cityProfile) float64
		zoneFrac    float64
		cov         bool // false: parts add up to the whole exactly
	}
	innov := func(c cityProfile) float64 { return c.innov }
	ends := func(v [5]float64, pct float64, decimals int) [5]int64 { return g.totals(v, pct, decimals) }

	// High-tech enterprises: Linyi 530 at end-2019 and 642 at end-2020.
	lhe := ends([5]float64{255, 330, 430, 0, 0}, 0.02, 0)
	lhe[3], lhe[4] = 530, 642
	// Tech SMEs: Linyi about 5.2% of the province.
	phs := ends([5]float64{5200, 7600, 10300, 13400, 21800}, 0.01, 0)
	var lsm [5]float64
	for i, v := range phs {
		lsm[i] = float64(v) * 0.052
	}
	// Platforms: Linyi about 520 at end-2019, 55–70 more in 2020.
	lpf := ends([5]float64{400, 440, 480, 0, 0}, 0.01, 0)
	lpf[3] = 520 + int64(g.rng.IntN(9)) - 4
	lpf[4] = lpf[3] + 55 + int64(g.rng.IntN(16))
	// Incubation area: Linyi 195 → about 212 万平方米.
	lar := ends([5]float64{150, 165, 180, 0, 0}, 0.01, 1)
	lar[3] = roundTo(between(g.rng, 194.6, 195.4), 1)
	lar[4] = roundTo(between(g.rng, 211.6, 212.9), 1)

	var provStar, linyiStar series = make(series, n), make(series, n)
	for p := range provStar {
		if t.years[p] >= 2019 {
			provStar[p] = provListings[t.years[p]-2019][t.months[p]-1]
			linyiStar[p] = linyiListings[t.years[p]-2019][t.months[p]-1]
		}
	}

	plans := []plan{
		{"hitech_enterprises", unitJia,
			stockSeries(t, ends([5]float64{4650, 6300, 8900, 11360, 14600}, 0.003, 0), stepsEnterprises),
			stockSeries(t, lhe, stepsEnterprises), innov, zoneInnovFrac, true},
		{"tech_smes", unitJia,
			stockSeries(t, phs, stepsSMEs),
			stockSeries(t, ends(lsm, 0.03, 0), stepsSMEs), innov, zoneInnovFrac, true},
		{"platforms", unitGe,
			stockSeries(t, ends([5]float64{6800, 7500, 8100, 8700, 9500}, 0.005, 0), stepsPlatforms),
			stockSeries(t, lpf, stepsPlatforms), innov, zoneInnovFrac, true},
		{"incubators", unitJia,
			stockSeries(t, ends([5]float64{330, 390, 440, 480, 540}, 0.01, 0), stepsIncubators),
			stockSeries(t, [5]int64{28, 32, 35, 38, 44}, stepsIncubators), innov, zoneInnovFrac, true},
		{"incubation_area", unitArea,
			stockSeries(t, ends([5]float64{1900, 2150, 2400, 2600, 2850}, 0.01, 1), stepsArea),
			stockSeries(t, lar, stepsArea), innov, 0.25, true},
		// A listed company is counted where it is registered: the cities
		// and counties add up to the whole exactly; none is in the zone.
		{"star_market_listings", unitJia, provStar, linyiStar,
			func(c cityProfile) float64 { return c.listings }, 0, false},
	}
	for _, pl := range plans {
		noise := noiseTable(g.rng, len(others), n, 0.15)
		cNoise := noiseTable(g.rng, len(counties), n, 0.15)
		cityCov, countyCov := cityCovMonthly, countyCovMonthly
		if !pl.cov {
			cityCov, countyCov = [2]float64{1, 1}, [2]float64{1, 1}
		}
		if _, err := g.spread(t, spreadSpec{
			indicator: pl.indicator, unit: pl.unit,
			cityW:   func(i, p int) float64 { return pl.cityW(others[i]) * noise[i][p] },
			countyW: func(i, p int) float64 { return counties[i].innov * cNoise[i][p] },
			cityCov: cityCov, countyCov: countyCov, zoneFrac: pl.zoneFrac,
		}, pl.prov, pl.linyi); err != nil {
			return err
		}
	}
	return nil
}

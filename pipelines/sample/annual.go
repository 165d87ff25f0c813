package sample

// Annual facts: GDP and R&D expenditure, 2016–2020.

// Published provincial figures (DOMAIN.md §6) and Linyi's GDP, in 0.01 亿元.
const (
	provGDP2019  = 7106750
	provGDP2020  = 7312900
	provRD2019   = 149470
	provRD2020   = 168190
	linyiGDP2019 = 460025
	linyiGDP2020 = 480525
)

// Simulated history before the anchors: a smooth provincial series.
var (
	provGDPHist     = [3]float64{61000, 64300, 67800}                         // 亿元, 2016–2018
	provIntHist     = [3][2]float64{{2.05, 2.07}, {2.06, 2.08}, {2.08, 2.10}} // % ranges
	linyiShareHist  = [3]float64{0.0640, 0.0642, 0.0645}                      // of provincial GDP
	linyiRDInt      = [5]float64{1.72, 1.78, 1.84, 1.90, 2.10}                // %, below the province
	zoneGDPTrend    = [5]float64{0.040, 0.042, 0.044, 0.046, 0.048}           // the zone's share of Linyi's GDP
	cityCovAnnual   = [2]float64{0.978, 0.992}
	countyCovAnnual = [2]float64{0.955, 0.985}
)

func (g *generator) buildAnnual() error {
	t := annualTimeline()
	n := len(t.labels)
	provGDP, provRD := make(series, n), make(series, n)
	linyiGDP, linyiRD := make(series, n), make(series, n)
	for p := range 3 {
		provGDP[p] = roundTo(provGDPHist[p]*jitter(g.rng, 0.004), 2)
		intensity := between(g.rng, provIntHist[p][0], provIntHist[p][1])
		provRD[p] = roundTo(float64(provGDP[p])/100*intensity/100, 2)
		linyiGDP[p] = roundTo(float64(provGDP[p])/100*linyiShareHist[p]*jitter(g.rng, 0.003), 2)
		linyiRD[p] = roundTo(float64(linyiGDP[p])/100*(linyiRDInt[p]+between(g.rng, -0.02, 0.02))/100, 2)
	}
	provGDP[3], provGDP[4] = provGDP2019, provGDP2020
	provRD[3], provRD[4] = provRD2019, provRD2020
	linyiGDP[3], linyiGDP[4] = linyiGDP2019, linyiGDP2020
	for p := 3; p < n; p++ {
		linyiRD[p] = roundTo(float64(linyiGDP[p])/100*linyiRDInt[p]/100, 2)
	}

	// The other 15 cities share what the province reports beyond Linyi and
	// beyond the part not attributed to any city.
	others := otherCities()
	growth := make([]float64, len(others))
	for i := range growth {
		growth[i] = between(g.rng, -0.015, 0.015)
	}
	gdpNoise := noiseTable(g.rng, len(others), n, 0.01)
	citiesGDP, err := scale(t, provGDP, true, perYear(t, drawFracs(g.rng, cityCovAnnual[0], cityCovAnnual[1])))
	if err != nil {
		return err
	}
	cityGDP, err := allocate(t, minus(citiesGDP, linyiGDP), true, len(others), weightsOf(len(others), func(i, p int) float64 {
		return trend(others[i].gdp, growth[i], t.years[p]) * gdpNoise[i][p]
	}), g.rng)
	if err != nil {
		return err
	}
	rdNoise := noiseTable(g.rng, len(others), n, 0.05)
	citiesRD, err := scale(t, provRD, true, perYear(t, drawFracs(g.rng, cityCovAnnual[0], cityCovAnnual[1])))
	if err != nil {
		return err
	}
	cityRD, err := allocate(t, minus(citiesRD, linyiRD), true, len(others), weightsOf(len(others), func(i, p int) float64 {
		return float64(cityGDP[i][p]) * others[i].rdInt * rdNoise[i][p]
	}), g.rng)
	if err != nil {
		return err
	}

	// Counties share Linyi's figures; their R&D is in 万元 (1 亿元 = 10,000
	// 万元, so 0.01 亿元 = 100 万元), as counties report it.
	cGrowth := make([]float64, len(counties))
	for i := range cGrowth {
		cGrowth[i] = between(g.rng, -0.02, 0.02)
	}
	cNoise := noiseTable(g.rng, len(counties), n, 0.015)
	countiesGDP, err := scale(t, linyiGDP, true, perYear(t, drawFracs(g.rng, countyCovAnnual[0], countyCovAnnual[1])))
	if err != nil {
		return err
	}
	countyGDP, err := allocate(t, countiesGDP, true, len(counties), weightsOf(len(counties), func(i, p int) float64 {
		return trend(counties[i].gdp, cGrowth[i], t.years[p]) * cNoise[i][p]
	}), g.rng)
	if err != nil {
		return err
	}
	linyiRDWan := make(series, n)
	for p := range linyiRD {
		linyiRDWan[p] = linyiRD[p] * 100
	}
	cRDNoise := noiseTable(g.rng, len(counties), n, 0.06)
	countiesRD, err := scale(t, linyiRDWan, true, perYear(t, drawFracs(g.rng, countyCovAnnual[0], countyCovAnnual[1])))
	if err != nil {
		return err
	}
	countyRD, err := allocate(t, countiesRD, true, len(counties), weightsOf(len(counties), func(i, p int) float64 {
		return float64(countyGDP[i][p]) * counties[i].rdInt * cRDNoise[i][p]
	}), g.rng)
	if err != nil {
		return err
	}

	// The zone overlaps the counties: a share of the city, computed apart.
	var zf [5]float64
	for p := range zf {
		zf[p] = zoneGDPTrend[p] * jitter(g.rng, 0.02)
	}
	zoneGDP, err := scale(t, linyiGDP, true, perYear(t, zf))
	if err != nil {
		return err
	}
	zoneRD := make(series, n)
	for p := range zoneRD {
		// 0.01 亿元 × intensity(%) = 万元.
		zoneRD[p] = int64(float64(zoneGDP[p]) * zoneRDInt * jitter(g.rng, 0.04))
		if zoneRD[p] > linyiRDWan[p] {
			zoneRD[p] = linyiRDWan[p]
		}
	}

	a := &g.annual
	g.emit(a, provinceCode, "gdp", t, provGDP, unitYi)
	g.emit(a, provinceCode, "rd_expenditure", t, provRD, unitYi)
	g.emit(a, linyiCode, "gdp", t, linyiGDP, unitYi)
	g.emit(a, linyiCode, "rd_expenditure", t, linyiRD, unitYi)
	for i, c := range others {
		g.emit(a, c.code, "gdp", t, cityGDP[i], unitYi)
		g.emit(a, c.code, "rd_expenditure", t, cityRD[i], unitYi)
	}
	for i, c := range counties {
		g.emit(a, c.code, "gdp", t, countyGDP[i], unitYi)
		g.emit(a, c.code, "rd_expenditure", t, countyRD[i], unitWan)
	}
	g.emit(a, zoneCode, "gdp", t, zoneGDP, unitYi)
	g.emit(a, zoneCode, "rd_expenditure", t, zoneRD, unitWan)
	return nil
}

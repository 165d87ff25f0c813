package sample

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The constraints of the README, checked on the parsed CSVs. Region and
// indicator lists are written out here rather than taken from the
// generator, so a mistake there shows up.

const (
	prov  = "370000"
	linyi = "371300"
	zone  = "371371"
)

var (
	testCities = []string{"370100", "370200", "370300", "370400", "370500", "370600", "370700", "370800",
		"370900", "371000", "371100", "371300", "371400", "371500", "371600", "371700"}
	testCounties = []string{"371302", "371311", "371312", "371321", "371322", "371323", "371324", "371325",
		"371326", "371327", "371328", "371329"}
)

type indicatorSpec struct {
	unit      string
	monthly   bool
	flow      bool
	linyiOnly bool // reported by Linyi, its counties and the zone only
}

var testCatalog = map[string]indicatorSpec{
	"gdp":                      {unit: "亿元"},
	"rd_expenditure":           {unit: "亿元"},
	"hitech_output":            {unit: "亿元", monthly: true, flow: true},
	"industrial_output":        {unit: "亿元", monthly: true, flow: true},
	"tech_contract_turnover":   {unit: "亿元", monthly: true, flow: true},
	"achievements_transferred": {unit: "项", monthly: true, flow: true, linyiOnly: true},
	"key_tech_breakthroughs":   {unit: "项", monthly: true, flow: true, linyiOnly: true},
	"hitech_enterprises":       {unit: "家", monthly: true},
	"tech_smes":                {unit: "家", monthly: true},
	"platforms":                {unit: "个", monthly: true},
	"incubators":               {unit: "家", monthly: true},
	"incubation_area":          {unit: "万平方米", monthly: true},
	"star_market_listings":     {unit: "家", monthly: true},
}

func testPeriods(monthly bool) []string {
	if !monthly {
		return []string{"2016", "2017", "2018", "2019", "2020"}
	}
	ps := []string{"2016-12", "2017-12", "2018-12"}
	for y := 2019; y <= 2020; y++ {
		for m := 1; m <= 12; m++ {
			ps = append(ps, fmt.Sprintf("%d-%02d", y, m))
		}
	}
	return ps
}

func testRegions(linyiOnly bool) []string {
	var rs []string
	if linyiOnly {
		rs = []string{linyi}
	} else {
		rs = append([]string{prov}, testCities...)
	}
	return append(append(rs, testCounties...), zone)
}

var valueFormat = map[string]*regexp.Regexp{
	"亿元":   regexp.MustCompile(`^(0|[1-9][0-9]*)\.[0-9]{2}$`),
	"万平方米": regexp.MustCompile(`^(0|[1-9][0-9]*)\.[0-9]$`),
	"万元":   regexp.MustCompile(`^(0|[1-9][0-9]*)$`),
	"家":    regexp.MustCompile(`^(0|[1-9][0-9]*)$`),
	"个":    regexp.MustCompile(`^(0|[1-9][0-9]*)$`),
	"项":    regexp.MustCompile(`^(0|[1-9][0-9]*)$`),
}

func TestRowsAndFormat(t *testing.T) {
	forSeeds(t, func(t *testing.T, d *dataset) {
		want := 0
		for code, spec := range testCatalog {
			for _, r := range testRegions(spec.linyiOnly) {
				for _, p := range testPeriods(spec.monthly) {
					want++
					row, ok := d.rows[key{r, p, code}]
					if !ok {
						t.Errorf("missing row %s %s %s", r, p, code)
						continue
					}
					unit := spec.unit
					if code == "rd_expenditure" && (r == zone || slices.Contains(testCounties, r)) {
						unit = "万元" // as counties report it
					}
					if got := row[4]; got != unit {
						t.Errorf("%s %s %s unit: got %q, want %q", r, p, code, got, unit)
					}
					if row[3] != "" && !valueFormat[unit].MatchString(row[3]) {
						t.Errorf("%s %s %s value %q: want a plain decimal like %s", r, p, code, row[3], valueFormat[unit])
					}
					if (row[3] == "") != (row[6] != "") {
						t.Errorf("%s %s %s: value %q with note %q: a note must say why exactly when the value is missing", r, p, code, row[3], row[6])
					}
					status := "final"
					if strings.HasPrefix(p, "2020") {
						status = "provisional"
					}
					if got := row[5]; got != status {
						t.Errorf("%s %s %s status: got %q, want %q", r, p, code, got, status)
					}
				}
			}
		}
		if got := len(d.rows); got != want {
			t.Errorf("rows: got %d, want %d (no other regions, indicators or periods; no 莱芜 371200)", got, want)
		}
	})
}

func TestMissingOnPurpose(t *testing.T) {
	tests := []struct {
		region, period, indicator, note string
	}{
		{"371328", "2020-10", "hitech_output", "蒙阴县未按时报送"},
		{"371328", "2020-10", "industrial_output", "蒙阴县未按时报送"},
		{zone, "2016", "gdp", "2017年起"},
		{zone, "2016", "rd_expenditure", "2017年起"},
		{"371700", "2020-09", "tech_contract_turnover", "菏泽市"},
		{"371322", "2019-08", "incubation_area", "郯城县"},
	}
	forSeeds(t, func(t *testing.T, d *dataset) {
		for _, tt := range tests {
			note, ok := d.missing[key{tt.region, tt.period, tt.indicator}]
			if !ok {
				t.Errorf("%s %s %s: want an empty value with a note", tt.region, tt.period, tt.indicator)
				continue
			}
			if !strings.Contains(note, tt.note) {
				t.Errorf("%s %s %s note: got %q, want it to mention %q", tt.region, tt.period, tt.indicator, note, tt.note)
			}
		}
		if got, want := len(d.missing), len(tests); got != want {
			t.Errorf("missing values: got %d, want %d", got, want)
		}
	})
}

// within is one "about" figure of the brief with its accepted range.
type within struct {
	name    string
	got     float64
	lo, hi  float64
	decimal int // the figure is compared rounded to this many decimals
}

func checkWithin(t *testing.T, tests []within) {
	t.Helper()
	for _, tt := range tests {
		got, _ := strconv.ParseFloat(strconv.FormatFloat(tt.got, 'f', tt.decimal, 64), 64)
		if got < tt.lo || got > tt.hi {
			t.Errorf("%s: got %v, want within [%v, %v]", tt.name, got, tt.lo, tt.hi)
		}
	}
}

func TestProvinceAnchors(t *testing.T) {
	forSeeds(t, func(t *testing.T, d *dataset) {
		g := func(p, ind string) float64 { return d.get(t, prov, p, ind) }
		checkWithin(t, []within{
			{"rd_expenditure 2019 (published)", g("2019", "rd_expenditure"), 1494.70, 1494.70, 2},
			{"rd_expenditure 2020 (published)", g("2020", "rd_expenditure"), 1681.90, 1681.90, 2},
			{"gdp 2019", g("2019", "gdp"), 71067.50, 71067.50, 2},
			{"gdp 2020", g("2020", "gdp"), 73129.00, 73129.00, 2},
			{"rd_intensity 2020 (published 2.30)", d.ratio(t, prov, "2020", "rd_expenditure", "gdp"), 2.30, 2.30, 2},
			{"rd_intensity 2019", d.ratio(t, prov, "2019", "rd_expenditure", "gdp"), 2.09, 2.11, 2},
			{"gdp 2016", g("2016", "gdp"), 60000, 62000, 2},
			{"gdp 2017", g("2017", "gdp"), 63000, 65500, 2},
			{"gdp 2018", g("2018", "gdp"), 67000, 68600, 2},
			{"rd_intensity 2016", d.ratio(t, prov, "2016", "rd_expenditure", "gdp"), 2.04, 2.11, 2},
			{"rd_intensity 2017", d.ratio(t, prov, "2017", "rd_expenditure", "gdp"), 2.04, 2.11, 2},
			{"rd_intensity 2018", d.ratio(t, prov, "2018", "rd_expenditure", "gdp"), 2.04, 2.11, 2},
			{"hitech_output_share 2019-12", d.ratio(t, prov, "2019-12", "hitech_output", "industrial_output"), 40.0, 40.2, 2},
			{"hitech_output_share 2020-12", d.ratio(t, prov, "2020-12", "hitech_output", "industrial_output"), 41.5, 41.7, 2},
			{"hitech_enterprises 2019-12", g("2019-12", "hitech_enterprises"), 11200, 11500, 0},
			{"hitech_enterprises 2020-12", g("2020-12", "hitech_enterprises"), 14400, 14800, 0},
		})
		for _, y := range []string{"2017", "2018", "2019", "2020"} {
			prev := strconv.Itoa(mustAtoi(t, y) - 1)
			if g(y, "gdp") <= g(prev, "gdp") {
				t.Errorf("gdp %s %.2f not above %s %.2f: want a smooth rising series", y, g(y, "gdp"), prev, g(prev, "gdp"))
			}
		}
	})
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLinyiDesign(t *testing.T) {
	forSeeds(t, func(t *testing.T, d *dataset) {
		g := func(p, ind string) float64 { return d.get(t, linyi, p, ind) }
		share := func(r, p string) float64 { return d.ratio(t, r, p, "hitech_output", "industrial_output") }
		checkWithin(t, []within{
			{"gdp 2019", g("2019", "gdp"), 4600.25, 4600.25, 2},
			{"gdp 2020", g("2020", "gdp"), 4805.25, 4805.25, 2},
			{"rd_intensity 2019", d.ratio(t, linyi, "2019", "rd_expenditure", "gdp"), 1.85, 1.95, 2},
			{"rd_intensity 2020", d.ratio(t, linyi, "2020", "rd_expenditure", "gdp"), 2.05, 2.15, 2},
			{"hitech_output_share 2019-12", share(linyi, "2019-12"), 35.5, 35.7, 2},
			{"hitech_output_share 2020-12", share(linyi, "2020-12"), 37.3, 37.5, 2},
			{"hitech_enterprises 2019-12", g("2019-12", "hitech_enterprises"), 530, 530, 0},
			{"hitech_enterprises 2020-10", g("2020-10", "hitech_enterprises"), 585, 615, 0},
			{"hitech_enterprises 2020-12", g("2020-12", "hitech_enterprises"), 642, 642, 0},
			{"platforms 2019-12", g("2019-12", "platforms"), 510, 530, 0},
			{"platforms added in 2020", g("2020-12", "platforms") - g("2019-12", "platforms"), 55, 70, 0},
			{"incubators 2019-12", g("2019-12", "incubators"), 36, 40, 0},
			{"incubators added in 2020", g("2020-12", "incubators") - g("2019-12", "incubators"), 6, 6, 0},
			{"incubation_area 2019-12", g("2019-12", "incubation_area"), 193, 197, 1},
			{"incubation_area 2020-12", g("2020-12", "incubation_area"), 210, 214, 1},
			{"key_tech_breakthroughs 2020-10", g("2020-10", "key_tech_breakthroughs"), 75, 85, 0},
			{"key_tech_breakthroughs 2020-12", g("2020-12", "key_tech_breakthroughs"), 100, 110, 0},
			{"achievements_transferred 2020-12", g("2020-12", "achievements_transferred"), 205, 225, 0},
			{"zone hitech share 2019-12", share(zone, "2019-12"), 55, 65, 2},
			{"zone hitech share 2020-12", share(zone, "2020-12"), 55, 65, 2},
			{"蒙阴县 hitech share 2019-12", share("371328", "2019-12"), 19.5, 26, 2},
			{"蒙阴县 hitech share 2020-12", share("371328", "2020-12"), 19.5, 26, 2},
			{"平邑县 hitech share 2019-12", share("371326", "2019-12"), 19.5, 26, 2},
			{"平邑县 hitech share 2020-12", share("371326", "2020-12"), 19.5, 26, 2},
		})
		for _, y := range []string{"2016", "2017", "2018", "2019", "2020"} {
			if l, p := d.ratio(t, linyi, y, "rd_expenditure", "gdp"), d.ratio(t, prov, y, "rd_expenditure", "gdp"); l >= p {
				t.Errorf("rd_intensity %s: Linyi %.2f not below the province %.2f", y, l, p)
			}
		}
		for _, p := range testPeriods(true) {
			want := 0.0
			if p >= "2020-07" {
				want = 1
			}
			if got := g(p, "star_market_listings"); got != want {
				t.Errorf("star_market_listings %s: got %v, want %v", p, got, want)
			}
		}
		// Shares: the zone highest of the 13 units, both years.
		for _, p := range []string{"2019-12", "2020-12"} {
			for _, c := range testCounties {
				if share(c, p) >= share(zone, p) {
					t.Errorf("%s hitech share %.2f: county %s %.2f is not below the zone", p, share(zone, p), c, share(c, p))
				}
			}
		}
	})
}

func TestBatches(t *testing.T) {
	forSeeds(t, func(t *testing.T, d *dataset) {
		for _, ind := range []string{"hitech_enterprises", "platforms", "incubators"} {
			var steps []string
			prev := d.get(t, linyi, "2019-12", ind)
			for _, p := range testPeriods(true)[15:] {
				v := d.get(t, linyi, p, ind)
				if v != prev {
					steps = append(steps, p)
				}
				prev = v
			}
			if len(steps) < 2 || len(steps) > 4 || steps[len(steps)-1] != "2020-12" {
				t.Errorf("Linyi %s steps up in %v: want a few batch months ending 2020-12, flat otherwise", ind, steps)
			}
		}
	})
}

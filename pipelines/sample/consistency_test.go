package sample

import (
	"slices"
	"strings"
	"testing"
)

// Consistency between units and over time, checked on the parsed CSVs.

func TestPartsAddUp(t *testing.T) {
	type level struct {
		name     string
		parent   string
		children []string
		lo, hi   float64 // children's sum ÷ parent when every child reported
	}
	levels := []level{
		{"16 cities vs province", prov, testCities, 0.97, 0.995},
		{"12 counties vs Linyi", linyi, testCounties, 0.95, 0.99},
		{"zone vs Linyi", linyi, []string{zone}, 0, 1},
	}
	forSeeds(t, func(t *testing.T, d *dataset) {
		for code, spec := range testCatalog {
			tol := 0.01 // one minor unit of an amount
			if spec.unit != "亿元" && spec.unit != "万平方米" {
				tol = 1
			}
			for _, lv := range levels {
				lo, hi := lv.lo, lv.hi
				if code == "star_market_listings" && lv.name != "zone vs Linyi" {
					lo, hi = 1, 1 // a listed company is counted where it is registered
				}
				for _, p := range testPeriods(spec.monthly) {
					parent, ok := d.val[key{lv.parent, p, code}]
					if !ok {
						continue
					}
					var sum float64
					all := true
					for _, c := range lv.children {
						v, ok := d.val[key{c, p, code}]
						if !ok {
							all = false
							continue
						}
						sum += v
					}
					if sum > parent+1e-6 {
						t.Errorf("%s %s %s: parts %.4f exceed the whole %.4f", lv.name, code, p, sum, parent)
					}
					if all && (sum < lo*parent-tol-1e-6 || sum > hi*parent+1e-6) {
						t.Errorf("%s %s %s: parts are %.2f%% of the whole, want %.1f%%–%.1f%%",
							lv.name, code, p, sum/parent*100, lo*100, hi*100)
					}
				}
			}
		}
	})
}

func TestFlowsStocksShares(t *testing.T) {
	forSeeds(t, func(t *testing.T, d *dataset) {
		for code, spec := range testCatalog {
			for _, r := range testRegions(spec.linyiOnly) {
				var prevP string
				prev, have := 0.0, false
				for _, p := range testPeriods(spec.monthly) {
					v, ok := d.val[key{r, p, code}]
					if !ok {
						continue
					}
					if v < 0 {
						t.Errorf("%s %s %s: negative %v", r, p, code, v)
					}
					if spec.flow && have && p[:4] == prevP[:4] && v < prev {
						t.Errorf("%s %s: YTD %s %v falls below %s %v", r, code, p, v, prevP, prev)
					}
					prevP, prev, have = p, v, true
				}
			}
		}
		for _, r := range testRegions(false) {
			for _, p := range testPeriods(true) {
				h, ok1 := d.val[key{r, p, "hitech_output"}]
				i, ok2 := d.val[key{r, p, "industrial_output"}]
				if ok1 && ok2 && h > i {
					t.Errorf("%s %s: hitech_output %.2f exceeds industrial_output %.2f", r, p, h, i)
				}
			}
		}
	})
}

func TestSeasonality(t *testing.T) {
	forSeeds(t, func(t *testing.T, d *dataset) {
		for code, spec := range testCatalog {
			if !spec.flow {
				continue
			}
			regions := []string{prov, linyi}
			if spec.linyiOnly {
				regions = []string{linyi}
			}
			for _, r := range regions {
				// COVID-19: 2020's first quarter below 2019's, year to date.
				for _, m := range []string{"02", "03"} {
					if a, b := d.get(t, r, "2020-"+m, code), d.get(t, r, "2019-"+m, code); a >= b {
						t.Errorf("%s %s: 2020-%s YTD %v not below 2019-%s %v", r, code, m, a, m, b)
					}
				}
				// January and February are below an average month.
				for _, y := range []string{"2019", "2020"} {
					avg := d.get(t, r, y+"-12", code) / 12
					jan := d.get(t, r, y+"-01", code)
					feb := d.get(t, r, y+"-02", code) - jan
					if jan >= avg || feb >= avg {
						t.Errorf("%s %s %s: January %v, February %v; want both below the monthly average %v", r, code, y, jan, feb, avg)
					}
				}
			}
		}
	})
}

func TestRelativeSizes(t *testing.T) {
	name := map[string]string{"370100": "济南", "370200": "青岛", "370400": "枣庄", "371100": "日照", "371302": "兰山区"}
	ranked := func(d *dataset, t *testing.T, units []string, p, ind string) []string {
		out := slices.Clone(units)
		slices.SortStableFunc(out, func(a, b string) int {
			va, vb := d.get(t, a, p, ind), d.get(t, b, p, ind)
			switch {
			case va > vb:
				return -1
			case va < vb:
				return 1
			}
			return 0
		})
		return out
	}
	forSeeds(t, func(t *testing.T, d *dataset) {
		for _, y := range []string{"2016", "2017", "2018", "2019", "2020"} {
			r := ranked(d, t, testCities, y, "gdp")
			if top := r[:2]; !slices.Contains(top, "370100") || !slices.Contains(top, "370200") {
				t.Errorf("gdp %s: largest cities %v, want 济南 and 青岛", y, top)
			}
			for _, small := range []string{"370400", "371100"} {
				if i := slices.Index(r, small); i < len(r)-3 {
					t.Errorf("gdp %s: %s ranks %d of 16, want among the 3 smallest", y, name[small], i+1)
				}
			}
			if c := ranked(d, t, testCounties, y, "gdp"); c[0] != "371302" {
				t.Errorf("gdp %s: largest county %s, want 兰山区", y, c[0])
			}
		}
		if r := ranked(d, t, testCities, "2020-12", "hitech_enterprises"); !slices.Contains(r[:3], "370100") || !slices.Contains(r[:3], "370200") {
			t.Errorf("hitech_enterprises 2020-12: top cities %v, want 济南 and 青岛 among them", r[:3])
		}
		// Every note on a missing value says why it is missing.
		for k, note := range d.missing {
			if !strings.Contains(note, "未") && !strings.Contains(note, "无数据") {
				t.Errorf("%v note %q: want it to say why the value is missing", k, note)
			}
		}
	})
}

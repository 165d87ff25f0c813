package synth

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/linyi-sti/innowatch"
)

// A small hierarchy: a province with two cities; city A has two counties
// and a zone, city B none (it is generated as a leaf).
var testRegions = []innowatch.Region{
	{Code: "100000", Level: innowatch.LevelCountry},
	{Code: "370000", Level: innowatch.LevelProvince, Parent: "100000"},
	{Code: "371300", Level: innowatch.LevelCity, Parent: "370000"},
	{Code: "370100", Level: innowatch.LevelCity, Parent: "370000"},
	{Code: "371302", Level: innowatch.LevelCounty, Parent: "371300"},
	{Code: "371311", Level: innowatch.LevelCounty, Parent: "371300"},
	{Code: "371371", Level: innowatch.LevelZone, Parent: "371300"},
	{Code: "370102", Level: innowatch.LevelCounty, Parent: "370100"},
	{Code: "371372", Level: innowatch.LevelZone, Parent: "371300", ValidTo: 2019},
}

func generate(t *testing.T, opt Options) [][]string {
	t.Helper()
	var buf bytes.Buffer
	n, err := Generate(&buf, testRegions, opt)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(recs)-1) != n {
		t.Fatalf("Generate reported %d rows, file has %d", n, len(recs)-1)
	}
	if got := strings.Join(recs[0], ",") + "\n"; got != Header {
		t.Fatalf("header = %q", got)
	}
	return recs[1:]
}

func TestGenerateScales(t *testing.T) {
	tests := []struct {
		opt     Options
		regions []string
	}{
		{Options{Scale: ScaleCity, City: "371300", Province: "370000", Years: 2}, []string{"370000", "370100", "371300", "371302", "371311", "371371"}},
		{Options{Scale: ScaleProvince, Province: "370000", Years: 2}, []string{"370000", "370100", "370102", "371300", "371302", "371311", "371371"}},
		{Options{Scale: ScaleNational, Years: 2}, []string{"100000", "370000", "370100", "370102", "371300", "371302", "371311", "371371"}},
	}
	for _, tt := range tests {
		recs := generate(t, tt.opt)
		seen := map[string]bool{}
		for _, r := range recs {
			seen[r[0]] = true
		}
		var got []string
		for _, code := range tt.regions {
			if !seen[code] {
				t.Errorf("%s: region %s missing", tt.opt.Scale, code)
			}
		}
		for code := range seen {
			got = append(got, code)
		}
		if len(got) != len(tt.regions) {
			t.Errorf("%s: regions %v, want %v (371372 ended in 2019)", tt.opt.Scale, got, tt.regions)
		}
		// 2 years × 6 regions … × (2 annual + 11 monthly × 12) rows.
		if want := 2 * len(tt.regions) * (2 + 11*12); len(recs) != want {
			t.Errorf("%s: %d rows, want %d", tt.opt.Scale, len(recs), want)
		}
	}
}

func TestGenerateIsConsistent(t *testing.T) {
	recs := generate(t, Options{Scale: ScaleNational, Years: 3, Seed: 7})
	val := map[string]float64{}
	for _, r := range recs {
		v, err := strconv.ParseFloat(r[3], 64)
		if err != nil || v < 0 {
			t.Fatalf("row %v: bad value", r)
		}
		val[r[0]+"|"+r[1]+"|"+r[2]] = v
	}
	for _, r := range recs {
		key := func(code string) string { return code + "|" + r[1] + "|" + r[2] }
		// Parts add up: counties ≤ their city ≤ province ≤ country; the zone is not a part.
		if val[key("371302")]+val[key("371311")] > val[key("371300")]+1e-9 {
			t.Errorf("%s %s: counties exceed the city", r[1], r[2])
		}
		if val[key("371300")]+val[key("370100")] > val[key("370000")]+1e-9 || val[key("370000")] > val[key("100000")]+1e-9 {
			t.Errorf("%s %s: cities exceed the province or the province the country", r[1], r[2])
		}
		// YTD flows never fall within a year; high-tech output ≤ industrial output.
		if len(r[1]) == 7 && r[1][5:] != "01" {
			m, _ := strconv.Atoi(r[1][5:])
			prev := r[1][:5] + strconv.Itoa(100 + m - 1)[1:]
			if p, ok := val[r[0]+"|"+prev+"|"+r[2]]; ok && val[key(r[0])] < p && isFlow(r[2]) {
				t.Errorf("%s %s %s: YTD %v fell from %v", r[0], r[1], r[2], val[key(r[0])], p)
			}
		}
		if r[2] == "hitech_output" && val[key(r[0])] > val[r[0]+"|"+r[1]+"|industrial_output"] {
			t.Errorf("%s %s: high-tech output above industrial output", r[0], r[1])
		}
	}
}

func isFlow(code string) bool {
	for _, s := range specs {
		if s.code == code {
			return s.flow
		}
	}
	return false
}

func TestGenerateDeterministicAndRows(t *testing.T) {
	a := generate(t, Options{Scale: ScaleCity, City: "371300", Province: "370000", Seed: 1})
	b := generate(t, Options{Scale: ScaleCity, City: "371300", Province: "370000", Seed: 1})
	c := generate(t, Options{Scale: ScaleCity, City: "371300", Province: "370000", Seed: 2})
	if strings.Join(a[100], ",") != strings.Join(b[100], ",") || len(a) != len(b) {
		t.Error("same seed, different output")
	}
	if strings.Join(a[100], ",") == strings.Join(c[100], ",") {
		t.Error("different seeds, same output")
	}
	// --rows adds years backwards and cuts exactly.
	r := generate(t, Options{Scale: ScaleCity, City: "371300", Province: "370000", Years: 1, Rows: 5000})
	if len(r) != 5000 {
		t.Errorf("Rows 5000: got %d", len(r))
	}
	if r[0][1] >= "2020" {
		t.Errorf("Rows 5000 should start before 2020, starts %s", r[0][1])
	}
}

func TestGenerateRefusesUnknownScope(t *testing.T) {
	var buf bytes.Buffer
	for _, opt := range []Options{{Scale: "county"}, {Scale: ScaleProvince, Province: "990000"}, {Scale: ScaleCity, Province: "370000", City: "370200"}} {
		if _, err := Generate(&buf, testRegions, opt); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
}

// TestGenerateHoldsLevelsBeyondTenYears: years added backwards beyond the
// default ten (--rows) keep the levels of the earliest default year, each
// with its own noise, instead of shrinking further (a country's count
// jumped from 11 to 258 between two months and 10 million rows would not
// load); the default ten years are generated as before.
func TestGenerateHoldsLevelsBeyondTenYears(t *testing.T) {
	long := generate(t, Options{Scale: ScaleCity, City: "371300", Province: "370000", Seed: 3, ToYear: 2020, Years: 25})
	short := generate(t, Options{Scale: ScaleCity, City: "371300", Province: "370000", Seed: 3, ToYear: 2020, Years: 10})
	val := map[string]float64{}
	for _, r := range long {
		v, err := strconv.ParseFloat(r[3], 64)
		if err != nil {
			t.Fatal(err)
		}
		val[r[0]+"|"+r[1]+"|"+r[2]] = v
	}
	// The default years are the same bytes, whatever years come before.
	for _, r := range short {
		k := r[0] + "|" + r[1] + "|" + r[2]
		if v, _ := strconv.ParseFloat(r[3], 64); val[k] != v {
			t.Fatalf("%s: %v in 25 years, %v in 10", k, val[k], v)
		}
	}
	checked := 0
	for _, r := range long {
		if r[1] != "2011" && r[1] != "2011-12" || r[2] == "star_market_listings" {
			continue // 2011 is the earliest default year; listings are counts of 0–2
		}
		k2011 := r[0] + "|" + r[1] + "|" + r[2]
		for _, y := range []string{"1996", "2003", "2010"} {
			k := r[0] + "|" + y + r[1][4:] + "|" + r[2]
			old, ok := val[k]
			if !ok {
				t.Fatalf("%s not generated", k)
			}
			if ref := val[k2011]; ref >= 20 && (old < 0.9*ref || old > 1.1*ref) {
				t.Errorf("%s = %v, %s = %v: not held", k, old, k2011, ref)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d values compared", checked)
	}
}

package pipelines

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"testing"
)

// TestChecksConcurrentMatchSequential: validateOne runs checkFacts beside
// the plausibility checks, and the plausibility checks split the facts
// between goroutines; the problems reported (their order included) must be
// those of the sequential order: checkFacts first, the plausibility checks
// only when checkFacts found no error, in file order.
func TestChecksConcurrentMatchSequential(t *testing.T) {
	ctx := context.Background()
	cat := testCatalog(t)
	counties := []string{"371302", "371311", "371312", "371321", "371322", "371323", "371324", "371325", "371326", "371327", "371328", "371329"}
	// Year-to-date flows; every third county's May is typed 1000× (a jump
	// up, then a year-to-date decrease and a jump down in June).
	var rows []string
	for k, c := range counties {
		for m := 1; m <= 10; m++ {
			v := 10 * m
			if k%3 == 0 && m == 5 {
				v *= 1000
			}
			rows = append(rows, fmt.Sprintf("%s,2020-%02d,tech_contract_turnover,%d,亿元,", c, m, v))
		}
	}
	dup := rows[3] // the same key again: an error of checkFacts
	accept, err := ParseAccept("implausible_jump:"+counties[0]+":tech_contract_turnover=核实无误", cat)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		rows     []string
		accept   []*Accept
		wantKeys map[string]bool // keys that must be among the problems
		notKeys  []string        // keys that must not
	}{
		{name: "jumps and year-to-date decreases", rows: rows,
			wantKeys: map[string]bool{"implausible_jump": true, "ytd_decrease": true}},
		{name: "a duplicate key refuses before the plausibility checks", rows: append(append([]string{}, rows...), dup),
			wantKeys: map[string]bool{"duplicate_key": true, "ytd_decrease": true}, notKeys: []string{"implausible_jump"}},
		{name: "an accepted jump", rows: rows, accept: []*Accept{&accept},
			wantKeys: map[string]bool{"implausible_jump": true, "ytd_decrease": true}},
	}
	defer func(old int) { parallelCheckMin = old }(parallelCheckMin)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, tt := range tests {
		f := csvFile("c.csv", tt.rows...)
		// The sequential reference: checkFacts inside the reader, then the
		// plausibility checks on the batch if it has no error.
		ref := ParseWith(ctx, f, cat, ReadOptions{})
		if !ref.HasErrors() {
			if err := (*Loader)(nil).CheckPlausible(ctx, ref, cat, testNow(), tt.accept); err != nil {
				t.Fatal(err)
			}
		}
		keys := map[string]bool{}
		for _, p := range ref.Problems {
			keys[p.Key] = true
		}
		for k := range tt.wantKeys {
			if !keys[k] {
				t.Fatalf("%s: the reference has no %s: the case tests nothing (%v)", tt.name, k, ref.Problems)
			}
		}
		for _, k := range tt.notKeys {
			if keys[k] {
				t.Fatalf("%s: the reference reports %s", tt.name, k)
			}
		}
		for _, min := range []int{1 << 30, 1} { // one pass; split between goroutines
			parallelCheckMin = min
			for rep := range 5 {
				res, _ := Ingest(ctx, nil, cat, 1, []File{f}, Options{DryRun: true, Now: testNow, Accept: tt.accept})
				if got, want := res[0].Problems, ref.Problems.Errors(); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s (split from %d facts, run %d): errors\n%v\nwant\n%v", tt.name, min, rep, got, want)
				}
				if got, want := res[0].Warnings, ref.Problems.Warnings(); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s (split from %d facts, run %d): warnings\n%v\nwant\n%v", tt.name, min, rep, got, want)
				}
			}
		}
	}
}

// TestRowCachesFollowTheFile: the parser predicts a row's indicator from
// the previous row's and keeps each indicator's last unit; rows that break
// the order, alternate units or name an indicator by another spelling must
// still read as the file says.
func TestRowCachesFollowTheFile(t *testing.T) {
	cat := testCatalog(t)
	rows := []string{
		"371302,2020,gdp,500,亿元,final",
		"371302,2020,rd_expenditure,10,亿元,final",
		"371311,2020,gdp,4000000,万元,final", // gdp again after rd: predicted; another unit
		"371311,2020,rd_expenditure,20,亿元,final",
		"371312,2020,rd_expenditure,300000,万元,final", // breaks the order
		"371312,2020,gdp,600,亿元,final",
		"371321,2020,地区生产总值,700,亿元,final", // gdp by its name
		"371322,2020,gdp,8000000,万元,final",
	}
	b := ParseWith(context.Background(), csvFile("u.csv", rows...), cat, ReadOptions{Workers: 1})
	if b.HasErrors() {
		t.Fatalf("problems: %v", b.Problems)
	}
	s := b.facts
	want := []struct {
		ind string
		v   float64
	}{{"gdp", 500}, {"rd_expenditure", 10}, {"gdp", 400}, {"rd_expenditure", 20}, {"rd_expenditure", 30}, {"gdp", 600}, {"gdp", 700}, {"gdp", 800}}
	if s.Len() != len(want) {
		t.Fatalf("%d facts, want %d", s.Len(), len(want))
	}
	for i, w := range want {
		if got := s.strs.str(s.indicator[i]); got != w.ind || s.value[i] != w.v {
			t.Errorf("row %d: %s %v, want %s %v", i+2, got, s.value[i], w.ind, w.v)
		}
	}
}

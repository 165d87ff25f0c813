package pipelines

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestGroupIndexMatchesMap: the dense group index answers every key, in
// range or not, as the map it replaced did; so does its map fallback for a
// file whose years are too far apart for the array.
func TestGroupIndexMatchesMap(t *testing.T) {
	for _, tc := range []struct {
		name       string
		years      int32 // spread of the facts' years
		wantDense  bool
		facts, ids int
	}{
		{"dense", 6, true, 5000, 300},
		{"map fallback", 900_000, false, 5000, 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			s := newFactStore()
			for i := range tc.ids {
				s.strs.id("s" + strconv.Itoa(i))
			}
			want := map[groupKey]int32{}
			var keys []groupKey
			for range tc.facts {
				region, ind := uint32(rng.IntN(tc.ids)), uint32(rng.IntN(20))
				year := 2000 + rng.Int32N(tc.years)
				s.addIDs(region, year*100+rng.Int32N(13), ind, 1, 0, 0, 0, 1, 0)
			}
			x := newGroupIndex(s)
			if got := x.dense != nil; got != tc.wantDense {
				t.Fatalf("dense = %v, want %v", got, tc.wantDense)
			}
			for i := range s.Len() {
				k := groupKey{s.region[i], s.indicator[i], s.period[i] / 100}
				if _, ok := want[k]; !ok {
					want[k] = int32(len(want))
					x.put(k, want[k])
					keys = append(keys, k)
				}
			}
			// Keys of the facts, and keys around and outside their ranges.
			for range 20000 {
				keys = append(keys, groupKey{uint32(rng.IntN(tc.ids + 5)), uint32(rng.IntN(tc.ids + 5)),
					1990 + rng.Int32N(tc.years+20)})
			}
			keys = append(keys, groupKey{0, 0, -5}, groupKey{^uint32(0), 1, 2000}, groupKey{1, ^uint32(0), 2000})
			for _, k := range keys {
				g, ok := x.get(k)
				wg, wok := want[k]
				if g != wg || ok != wok {
					t.Fatalf("get(%v) = %d, %v; want %d, %v", k, g, ok, wg, wok)
				}
			}
		})
	}
}

package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// A series is one region's values of one indicator along a timeline, in the
// minor unit of the indicator (0.01 亿元, 0.1 万平方米, one 家/个/项, or one
// 万元 for county R&D). Integers make "parts never exceed the whole" exact
// after rounding.
type series []int64

// timeline is the list of periods a file covers.
type timeline struct {
	labels []string
	years  []int
	months []int // 0 for annual periods
}

func annualTimeline() timeline {
	var t timeline
	for y := 2016; y <= 2020; y++ {
		t.labels = append(t.labels, fmt.Sprintf("%d", y))
		t.years = append(t.years, y)
		t.months = append(t.months, 0)
	}
	return t
}

// monthlyTimeline: year ends 2016–2018 as history, then every month of 2019
// and 2020.
func monthlyTimeline() timeline {
	var t timeline
	add := func(y, m int) {
		t.labels = append(t.labels, fmt.Sprintf("%04d-%02d", y, m))
		t.years = append(t.years, y)
		t.months = append(t.months, m)
	}
	for y := 2016; y <= 2018; y++ {
		add(y, 12)
	}
	for y := 2019; y <= 2020; y++ {
		for m := 1; m <= 12; m++ {
			add(y, m)
		}
	}
	return t
}

// restarts reports whether period p begins a new accumulation: the first
// period, and for year-to-date flows (and annual figures) every new year.
func (t timeline) restarts(p int, resets bool) bool {
	return p == 0 || resets && t.years[p] != t.years[p-1]
}

// yearIndex maps a period to 0 for 2016 … 4 for 2020.
func (t timeline) yearIndex(p int) int { return t.years[p] - 2016 }

// scale returns floor(parent × frac) for every period, never decreasing
// within an accumulation. The result never exceeds the parent provided the
// parent does not decrease within an accumulation, which is checked.
func scale(t timeline, parent series, resets bool, frac func(p int) float64) (series, error) {
	out := make(series, len(parent))
	for p := range parent {
		if !t.restarts(p, resets) && parent[p] < parent[p-1] {
			return nil, fmt.Errorf("scale: parent decreases at %s", t.labels[p])
		}
		v := int64(math.Floor(float64(parent[p]) * frac(p)))
		if !t.restarts(p, resets) && v < out[p-1] {
			v = out[p-1]
		}
		out[p] = v
	}
	return out, nil
}

// minus returns a − b period by period.
func minus(a, b series) series {
	out := make(series, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

// allocate divides a total among children: within an accumulation each
// period's increment is split by the weights of that period, so every child
// is non-decreasing where the total is, and the children always sum to the
// total exactly.
func allocate(t timeline, total series, resets bool, n int, weights func(p int) []float64, rng *rand.Rand) ([]series, error) {
	out := make([]series, n)
	for i := range out {
		out[i] = make(series, len(total))
	}
	for p := range total {
		var base int64
		if !t.restarts(p, resets) {
			base = total[p-1]
		}
		d := total[p] - base
		if d < 0 {
			return nil, fmt.Errorf("allocate: total decreases at %s (%d → %d)", t.labels[p], base, total[p])
		}
		parts := split(d, weights(p), rng)
		for i := range out {
			var prev int64
			if !t.restarts(p, resets) {
				prev = out[i][p-1]
			}
			out[i][p] = prev + parts[i]
		}
	}
	return out, nil
}

// split divides total into parts proportional to w. Whole units go by the
// floor; the few remaining units are drawn at random in proportion to the
// fractions left over, so small counts (one listing, three incubators) do not
// always land on the largest unit.
func split(total int64, w []float64, rng *rand.Rand) []int64 {
	parts := make([]int64, len(w))
	var sum float64
	for _, x := range w {
		sum += x
	}
	if total == 0 || sum <= 0 {
		return parts
	}
	rem := make([]float64, len(w))
	left := total
	for i, x := range w {
		exact := float64(total) * x / sum
		parts[i] = int64(math.Floor(exact))
		rem[i] = exact - float64(parts[i])
		left -= parts[i]
	}
	for ; left > 0; left-- {
		var rs float64
		for _, r := range rem {
			rs += r
		}
		i := 0
		if rs > 0 {
			u := rng.Float64() * rs
			for i = 0; i < len(rem)-1; i++ {
				if u < rem[i] {
					break
				}
				u -= rem[i]
			}
			for rem[i] == 0 && i > 0 { // float edge: fall back to a unit with a remainder
				i--
			}
		} else { // float edge: give it to the heaviest weight
			for j := range w {
				if w[j] > w[i] {
					i = j
				}
			}
		}
		parts[i]++
		rem[i] = 0
	}
	return parts
}

// jitter returns a factor uniformly within 1 ± pct.
func jitter(rng *rand.Rand, pct float64) float64 { return 1 + pct*(2*rng.Float64()-1) }

// between returns a value uniformly within [lo, hi].
func between(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }

// noiseTable draws one jitter factor per child and period, in a fixed order.
func noiseTable(rng *rand.Rand, n, periods int, pct float64) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, periods)
		for p := range out[i] {
			out[i][p] = jitter(rng, pct)
		}
	}
	return out
}

// constFrac and perYear build the frac arguments of scale.
func constFrac(f float64) func(int) float64 { return func(int) float64 { return f } }

func perYear(t timeline, f [5]float64) func(int) float64 {
	return func(p int) float64 { return f[t.yearIndex(p)] }
}

// drawFracs draws one fraction per year within [lo, hi].
func drawFracs(rng *rand.Rand, lo, hi float64) [5]float64 {
	var f [5]float64
	for i := range f {
		f[i] = between(rng, lo, hi)
	}
	return f
}

// roundTo converts a value in a catalog unit to minor units.
func roundTo(v float64, decimals int) int64 {
	return int64(math.Round(v * math.Pow10(decimals)))
}

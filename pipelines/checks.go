package pipelines

import (
	"fmt"

	"github.com/linyi-sti/innowatch"
)

// groupKey is a region's indicator in one year: the unit of the duplicate
// and year-to-date checks.
type groupKey struct {
	region, indicator uint32
	year              int32
}

// months holds, for one group, the fact index + 1 of each month (0 = the
// annual period); 0 means none.
type months [13]int32

// factGroups indexes a store's facts by (region, indicator, year), with
// the first fact of each month: built once, read by checkFacts and by the
// plausibility checks (which may run at the same time).
type factGroups struct {
	index  *groupIndex
	groups []months   // by group: the first fact (index + 1) of each month
	keys   []groupKey // by group, in the order of their first fact
	group  []int32    // by fact: its group
}

// newFactGroups indexes s. Rows usually come grouped, so the index is
// consulted only when the group changes.
func newFactGroups(s *factStore) *factGroups {
	fg := &factGroups{index: newGroupIndex(s), group: make([]int32, s.Len())}
	last, lastG := groupKey{}, int32(-1)
	for i := range s.Len() {
		k := groupKey{s.region[i], s.indicator[i], s.period[i] / 100}
		g := lastG
		if k != last || g < 0 {
			var ok bool
			if g, ok = fg.index.get(k); !ok {
				g = int32(len(fg.groups))
				fg.groups = append(fg.groups, months{})
				fg.keys = append(fg.keys, k)
				fg.index.put(k, g)
			}
			last, lastG = k, g
		}
		fg.group[i] = g
		if m := s.period[i] % 100; fg.groups[g][m] == 0 {
			fg.groups[g][m] = int32(i + 1)
		}
	}
	return fg
}

// checkFacts runs the checks that need the whole file: a key given twice
// (error), and a year-to-date flow that falls from one month to the next
// (warning).
func checkFacts(b *Batch, cat *innowatch.Catalog) {
	s := b.facts
	if s == nil || s.Len() == 0 {
		return
	}
	checkFactsGrouped(b, cat, newFactGroups(s))
}

// checkFactsGrouped is checkFacts with the facts' groups built (fg reads
// b's facts, and is only read here).
func checkFactsGrouped(b *Batch, cat *innowatch.Catalog, fg *factGroups) {
	s := b.facts
	if s == nil || s.Len() == 0 {
		return
	}
	groups, keys := fg.groups, fg.keys
	// In a sheet a repeated region repeats every column: report each pair
	// of rows once.
	type rowPair struct{ sheet, row, first int32 }
	reported := map[rowPair]bool{}
	for i := range s.Len() {
		g, m := fg.group[i], s.period[i]%100
		if first := groups[g][m]; int(first-1) != i { // a fact before i has its key
			j := int(first - 1)
			pair := rowPair{int32(s.sheet[i]), s.row[i], s.row[j]}
			if s.sheet[i] != 0 && reported[pair] {
				continue
			}
			reported[pair] = true
			column := "region_code"
			if s.sheet[i] != 0 {
				column = ""
			}
			where := fmt.Sprintf("第%d行", s.row[j])
			if sh := s.strs.str(s.sheet[j]); sh != "" {
				where = fmt.Sprintf("工作表“%s”%s", sh, where)
			}
			keyCols := "region_code、period、indicator"
			if s.sheet[i] != 0 {
				keyCols = "地区、期别、指标列"
			}
			b.report(Problem{Severity: SeverityError, Key: "duplicate_key", Sheet: s.strs.str(s.sheet[i]), Row: int(s.row[i]),
				Column: column, Value: s.strs.str(s.region[i]) + "|" + unpackPeriod(s.period[i]).String() + "|" + s.strs.str(s.indicator[i]),
				Message:  fmt.Sprintf("重复的键：第%d行与%s的 %s 相同", s.row[i], where, keyCols),
				Expected: "每个（区划, 期别, 指标）只出现一次", Hint: "与" + where + "重复；删去其中一行，或改正地区、期别"})
		}
	}
	// Year-to-date flows (amounts and counts; a ratio of two flows may fall).
	flow := map[uint32]innowatch.Indicator{}
	for _, in := range cat.Indicators() {
		if in.Flow && in.Kind != innowatch.KindRatio {
			if id, ok := s.strs.ids[in.Code]; ok {
				flow[id] = in
			}
		}
	}
	if len(flow) == 0 {
		return
	}
	for g, k := range keys {
		in, ok := flow[k.indicator]
		if !ok {
			continue
		}
		prev := -1
		for m := 1; m <= 12; m++ {
			idx := groups[g][m] - 1
			if idx < 0 || s.reason[idx] != 0 {
				continue
			}
			if prev >= 0 && s.value[idx] < s.value[prev] {
				pm := s.period[prev] % 100
				b.report(Problem{Severity: SeverityWarning, Key: "ytd_decrease", Sheet: s.strs.str(s.sheet[idx]), Row: int(s.row[idx]),
					Column: "value", Value: innowatch.FormatFloat(s.value[idx]),
					Message:  fmt.Sprintf("%s为1-N月累计值，%d年1-%d月低于1-%d月", in.NameZH, k.year, m, pm),
					Expected: fmt.Sprintf("≥ %s %s（1-%d月，第%d行）", innowatch.FormatFloat(s.value[prev]), in.Unit, pm, s.row[prev]),
					Hint:     "累计值不应下降：请核对是否误填了当月值，或上月数据有误"})
			}
			prev = int(idx)
		}
	}
}

// groupIndex finds a group by its key. A file's keys are dict ids and a
// few years, so they index a dense array (a national file: 3,400 region ids
// × 15 indicators × 6 years, under 2 MB): the map look-up per fact was most
// of the plausibility checks' time. A file whose ids or years would make
// the array large uses a map.
type groupIndex struct {
	slot    []int32 // by indicator dict id: its slot, -1 when no fact has it
	nReg    int
	nInd    int
	minYear int32
	nYears  int
	dense   []int32 // ((region × nInd) + slot) × nYears + year − minYear → group + 1
	m       map[groupKey]int32
}

// maxDenseGroups bounds the dense array (4 bytes an entry).
const maxDenseGroups = 1 << 23

func newGroupIndex(s *factStore) *groupIndex {
	x := &groupIndex{}
	if s.Len() == 0 {
		return x
	}
	x.slot = make([]int32, len(s.strs.strs))
	for i := range x.slot {
		x.slot[i] = -1
	}
	minY, maxY, maxR := s.period[0]/100, s.period[0]/100, uint32(0)
	for i := range s.Len() {
		if id := s.indicator[i]; x.slot[id] < 0 {
			x.slot[id] = int32(x.nInd)
			x.nInd++
		}
		y := s.period[i] / 100
		minY, maxY, maxR = min(minY, y), max(maxY, y), max(maxR, s.region[i])
	}
	x.nReg, x.minYear, x.nYears = int(maxR)+1, minY, int(maxY-minY)+1
	if int64(x.nReg)*int64(x.nInd)*int64(x.nYears) > maxDenseGroups {
		x.slot = nil
		return x
	}
	x.dense = make([]int32, x.nReg*x.nInd*x.nYears)
	return x
}

// at is k's place in the dense array; false when k lies outside it.
func (x *groupIndex) at(k groupKey) (int, bool) {
	if x.dense == nil || int(k.region) >= x.nReg || int(k.indicator) >= len(x.slot) {
		return 0, false
	}
	sl, y := x.slot[k.indicator], k.year-x.minYear
	if sl < 0 || y < 0 || int(y) >= x.nYears {
		return 0, false
	}
	return (int(k.region)*x.nInd+int(sl))*x.nYears + int(y), true
}

func (x *groupIndex) get(k groupKey) (int32, bool) {
	if i, ok := x.at(k); ok {
		if g := x.dense[i]; g != 0 {
			return g - 1, true
		}
		return 0, false
	}
	g, ok := x.m[k] // a nil map finds nothing
	return g, ok
}

func (x *groupIndex) put(k groupKey, g int32) {
	if i, ok := x.at(k); ok {
		x.dense[i] = g + 1
		return
	}
	if x.m == nil {
		x.m = map[groupKey]int32{}
	}
	x.m[k] = g
}

package pipelines

import (
	"strings"

	"github.com/linyi-sti/innowatch"
)

// dict interns strings: a file of ten million facts names a few thousand
// regions, a few hundred periods and a dozen indicators, so facts hold ids.
// Id 0 is the empty string.
type dict struct {
	ids  map[string]uint32
	strs []string
}

func newDict() *dict { return &dict{ids: map[string]uint32{"": 0}, strs: []string{""}} }

// id returns s's id, adding a copy of s (which may alias a reusable buffer).
func (d *dict) id(s string) uint32 {
	if id, ok := d.ids[s]; ok {
		return id
	}
	s = strings.Clone(s)
	id := uint32(len(d.strs))
	d.ids[s] = id
	d.strs = append(d.strs, s)
	return id
}

func (d *dict) str(id uint32) string { return d.strs[id] }

// packPeriod stores a period as year×100+month.
func packPeriod(p innowatch.Period) int32 { return int32(p.Year*100 + p.Month) }
func unpackPeriod(v int32) innowatch.Period {
	return innowatch.Period{Year: int(v / 100), Month: int(v % 100)}
}

// factStore holds a batch's facts column by column, strings as dict ids: at
// national scale (ten million facts) a []innowatch.Fact would take more than
// a gigabyte, this takes about 37 bytes a fact.
type factStore struct {
	strs      *dict
	region    []uint32
	period    []int32
	indicator []uint32
	value     []float64
	reason    []uint32 // missing reason; 0 = a value is present
	status    []uint8  // 0 provisional, 1 final
	sheet     []uint32
	row       []int32
	note      []uint32
}

func newFactStore() *factStore { return &factStore{strs: newDict()} }

// Len is the number of facts.
func (s *factStore) Len() int { return len(s.region) }

func statusCode(st innowatch.Status) uint8 {
	if st == innowatch.StatusFinal {
		return 1
	}
	return 0
}

func statusOf(c uint8) innowatch.Status {
	if c == 1 {
		return innowatch.StatusFinal
	}
	return innowatch.StatusProvisional
}

// add appends one fact.
func (s *factStore) add(f innowatch.Fact) {
	reason := uint32(0)
	if f.Missing {
		r := f.MissingReason
		if r == "" {
			r = "未报送"
		}
		reason = s.strs.id(r)
	}
	s.addIDs(s.strs.id(f.Region), packPeriod(f.Period), s.strs.id(f.Indicator), f.Value, reason,
		statusCode(f.Status), s.strs.id(f.Sheet), int32(f.Row), s.strs.id(f.Note))
}

func (s *factStore) addIDs(region uint32, period int32, ind uint32, v float64, reason uint32, status uint8, sheet uint32, row int32, note uint32) {
	if reason != 0 {
		v = 0
	}
	s.region = append(s.region, region)
	s.period = append(s.period, period)
	s.indicator = append(s.indicator, ind)
	s.value = append(s.value, v)
	s.reason = append(s.reason, reason)
	s.status = append(s.status, status)
	s.sheet = append(s.sheet, sheet)
	s.row = append(s.row, row)
	s.note = append(s.note, note)
}

// fact materialises fact i.
func (s *factStore) fact(i int) innowatch.Fact {
	f := innowatch.Fact{
		Region: s.strs.str(s.region[i]), Period: unpackPeriod(s.period[i]), Indicator: s.strs.str(s.indicator[i]),
		Value: s.value[i], Status: statusOf(s.status[i]), Sheet: s.strs.str(s.sheet[i]), Row: int(s.row[i]),
		Note: s.strs.str(s.note[i]),
	}
	if s.reason[i] != 0 {
		f.Missing, f.MissingReason = true, s.strs.str(s.reason[i])
	}
	return f
}

// absorb appends every fact of o, translating its ids into s's dict.
func (s *factStore) absorb(o *factStore) {
	remap := make([]uint32, len(o.strs.strs))
	for id, str := range o.strs.strs {
		remap[id] = s.strs.id(str)
	}
	s.absorbRemapped(o, remap)
}

// absorbRemapped appends every fact of o; remap[id] is s's id for o's id.
func (s *factStore) absorbRemapped(o *factStore, remap []uint32) {
	m := func(dst []uint32, src []uint32) []uint32 {
		for _, id := range src {
			dst = append(dst, remap[id])
		}
		return dst
	}
	s.region = m(s.region, o.region)
	s.indicator = m(s.indicator, o.indicator)
	s.reason = m(s.reason, o.reason)
	s.sheet = m(s.sheet, o.sheet)
	s.note = m(s.note, o.note)
	s.period = append(s.period, o.period...)
	s.value = append(s.value, o.value...)
	s.status = append(s.status, o.status...)
	s.row = append(s.row, o.row...)
}

// truncate empties the store, keeping its slices' room (and its dict).
func (s *factStore) truncate() {
	s.region, s.period, s.indicator, s.value = s.region[:0], s.period[:0], s.indicator[:0], s.value[:0]
	s.reason, s.status, s.sheet, s.row, s.note = s.reason[:0], s.status[:0], s.sheet[:0], s.row[:0], s.note[:0]
}

// grow reserves room for n more facts.
func (s *factStore) grow(n int) {
	if cap(s.region)-len(s.region) >= n {
		return
	}
	g32 := func(x []uint32) []uint32 { y := make([]uint32, len(x), len(x)+n); copy(y, x); return y }
	s.region, s.indicator, s.reason, s.sheet, s.note = g32(s.region), g32(s.indicator), g32(s.reason), g32(s.sheet), g32(s.note)
	p := make([]int32, len(s.period), len(s.period)+n)
	copy(p, s.period)
	s.period = p
	r := make([]int32, len(s.row), len(s.row)+n)
	copy(r, s.row)
	s.row = r
	v := make([]float64, len(s.value), len(s.value)+n)
	copy(v, s.value)
	s.value = v
	st := make([]uint8, len(s.status), len(s.status)+n)
	copy(st, s.status)
	s.status = st
}

// regionCodes lists the distinct regions of the facts.
func (s *factStore) regionCodes() []string {
	seen := map[uint32]bool{}
	var out []string
	last := ^uint32(0)
	for _, id := range s.region {
		if id == last || seen[id] {
			continue
		}
		last = id
		seen[id] = true
		out = append(out, s.strs.str(id))
	}
	return out
}

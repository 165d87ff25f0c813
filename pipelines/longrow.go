package pipelines

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/linyi-sti/innowatch"
)

// The long layout, shared by CSV, JSON, Parquet, Arrow and long-layout
// sheets: one fact per row.
var (
	longRequired = []string{"region_code", "period", "indicator", "value"}
	longOptional = []string{"unit", "region_name", "status", "note"}
)

// longCols are the positions of the long layout's columns in a record; -1
// when absent.
type longCols struct {
	region, period, indicator, value, unit, name, status, note int
	n                                                          int // fields a record must have
}

func newLongCols(col map[string]int, n int) longCols {
	get := func(k string) int {
		if i, ok := col[k]; ok {
			return i
		}
		return -1
	}
	return longCols{region: get("region_code"), period: get("period"), indicator: get("indicator"),
		value: get("value"), unit: get("unit"), name: get("region_name"), status: get("status"),
		note: get("note"), n: n}
}

type regionHit struct {
	id  uint32
	r   innowatch.Region
	err error
	// former is the problem of a former code or name: an error
	// (ambiguous_former_region) is reported on every row, a warning was
	// said once. One pointer keeps the struct within the 128 bytes a map
	// stores inline (a bool more cost an allocation per cached code).
	former *Problem
}

// indHit is a cached indicator look-up, held by pointer: rows change
// indicator on almost every line, and an Indicator is a large struct of
// pointers (copying it per row, with the collector's write barriers, showed
// in the profile). key is the cached text, copied once.
type indHit struct {
	id  uint32
	in  innowatch.Indicator
	err error
	key string
	// next is the indicator of the row after the last row of this one: a
	// file lists a region's indicators in the same order for each period,
	// so the next row's text is usually next.key, and no hashing is needed.
	next *indHit
	// unit is the last unit conversion of this indicator (usually its
	// only one).
	unit *unitHit
}

type periodHit struct {
	p   innowatch.Period
	err error
}

type unitKey struct{ ind, unit string }

// unitHit is a cached unit conversion of an indicator, held by pointer;
// unit is the cached text, copied once.
type unitHit struct {
	factor float64
	err    error
	unit   string
}

// rowParser validates long records into a factStore. It is not safe for
// concurrent use: the CSV reader gives each worker its own. Its caches make
// the common case (the same few thousand codes, periods and units again and
// again) a map look-up without allocation.
type rowParser struct {
	cat   *innowatch.Catalog
	file  string
	sheet string
	cols  longCols
	out   *factStore
	probs []Problem
	// more counts problems not kept (beyond MaxProblems) by severity.
	more    map[Severity]int
	kept    map[Severity]int
	sheetID uint32

	// The last look-up of each column: rows come in runs (one region's
	// indicators, one indicator's months), and comparing with the previous
	// text is cheaper than hashing it.
	lastRegion, lastInd, lastPeriod, lastStatus string
	lastRH                                      regionHit
	lastIH                                      *indHit
	lastPH                                      periodHit
	lastST                                      uint8

	regions map[string]regionHit
	names   map[string]regionHit
	inds    map[string]*indHit
	periods map[string]periodHit
	units   map[unitKey]*unitHit
	status  map[string]uint8
}

func newRowParser(cat *innowatch.Catalog, file, sheet string, cols longCols) *rowParser {
	p := &rowParser{cat: cat, file: file, sheet: sheet, cols: cols, out: newFactStore(),
		more: map[Severity]int{}, kept: map[Severity]int{}, regions: map[string]regionHit{}, names: map[string]regionHit{},
		inds: map[string]*indHit{}, periods: map[string]periodHit{}, units: map[unitKey]*unitHit{},
		status: map[string]uint8{}}
	p.sheetID = p.out.strs.id(sheet)
	return p
}

// writeTo makes the parser add its facts to s.
func (p *rowParser) writeTo(s *factStore) {
	p.out = s
	p.sheetID = s.strs.id(p.sheet)
}

// bad records an error at (line, column). Strings are copied: they may
// alias a buffer that is reused.
func (p *rowParser) bad(line int, column, value, key, expected, hint, msg string) {
	p.problem(Problem{Severity: SeverityError, Key: key, File: p.file, Sheet: p.sheet, Row: line,
		Column: column, Value: strings.Clone(value), Message: msg, Expected: expected, Hint: hint})
}

func (p *rowParser) problem(pr Problem) {
	if p.kept[pr.Severity] >= MaxProblems {
		p.more[pr.Severity]++
		return
	}
	p.kept[pr.Severity]++
	p.probs = append(p.probs, cloneProblem(pr))
}

// cloneProblem copies a problem's strings: a value found in a record may
// alias a buffer that is reused (the CSV reader's blocks).
func cloneProblem(pr Problem) Problem {
	for _, s := range []*string{&pr.File, &pr.Sheet, &pr.Column, &pr.Value, &pr.Message, &pr.Expected, &pr.Hint,
		&pr.Region, &pr.Indicator, &pr.Period} {
		*s = strings.Clone(*s)
	}
	return pr
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return trimSpace(rec[i])
}

// trimSpace is strings.TrimSpace with a fast path: most fields start and
// end with a byte that is not a space, or with a multi-byte character that
// is not one (a unit such as 亿元: strings.TrimSpace would decode runes from
// both ends through its general, slower path).
func trimSpace(s string) string {
	if s == "" {
		return s
	}
	a, z := s[0], s[len(s)-1]
	if (a > ' ' && a < 0x80 || a >= 0x80 && !spaceHead(s)) && (z > ' ' && z < 0x80 || z >= 0x80 && !spaceTail(s)) {
		return s
	}
	return strings.TrimSpace(s)
}

// spaceHead reports whether s starts with a Unicode space (U+0085, U+00A0,
// U+3000, …).
func spaceHead(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// spaceTail reports whether s ends in a Unicode space (U+00A0, U+3000, …):
// their UTF-8 forms end in 0x80–0xBF like any other multi-byte character.
func spaceTail(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(r)
}

// row validates one record found at line; a valid one is added to out.
func (p *rowParser) row(line int, rec []string) {
	c := &p.cols
	ok := true
	code := field(rec, c.region)
	rh, seen := p.lastRH, code == p.lastRegion && p.lastRegion != ""
	if !seen {
		rh, seen = p.regions[code]
	}
	if !seen {
		r, err := p.cat.Region(code)
		var former *Problem
		if err != nil {
			// A name where a code belongs: match it through the aliases; a
			// value still unknown may be a former code or name.
			byName, nerr := p.cat.RegionByName(code)
			if !isDigits(code) && nerr != nil {
				err = nerr // a name: its hint names the candidates or the closest names
			}
			if nerr == nil && !isDigits(code) {
				r, err = byName, nil
			} else if fr, pr, ok := regionByFormer(p.cat, code, p.sheet, p.file); ok {
				pr.File, pr.Sheet, pr.Row, pr.Column = p.file, p.sheet, line, "region_code"
				pr = cloneProblem(pr) // cached beyond this block
				former = &pr
				if pr.Severity == SeverityWarning {
					r, err = fr, nil
					p.problem(pr)
				}
			}
		}
		rh = regionHit{r: r, err: err, former: former}
		if err == nil {
			rh.id = p.out.strs.id(r.Code)
		}
		p.regions[strings.Clone(code)] = rh
	}
	if code != p.lastRegion {
		p.lastRegion, p.lastRH = strings.Clone(code), rh
	}
	if rh.former != nil && rh.former.Severity == SeverityError {
		pr := *rh.former
		pr.Row = line
		p.problem(pr)
		ok = false
	} else if rh.err != nil {
		p.bad(line, "region_code", code, "unknown_region", "已知的6位区划代码（或别名表中的名称）", innowatch.HintOf(rh.err), "未知的区划代码")
		ok = false
	} else if name := field(rec, c.name); name != "" {
		nh, seen := p.names[name]
		if !seen {
			r, err := p.cat.RegionByName(name)
			nh = regionHit{r: r, err: err}
			p.names[strings.Clone(name)] = nh
		}
		if nh.err != nil {
			// A former name fits when the code is one of the units it
			// became (the code decides a split unit): cached by both.
			k := rh.r.Code + "\x00" + name
			fh, seen := p.names[k]
			if !seen {
				fh = nh
				if warn, ok := formerNameFits(p.cat, name, rh.r); ok {
					fh = regionHit{r: rh.r}
					warn.File, warn.Sheet, warn.Row, warn.Column = p.file, p.sheet, line, "region_name"
					if rh.former == nil { // the code's warning said it already
						p.problem(warn)
					}
				}
				p.names[k] = fh
			}
			nh = fh
		}
		if nh.err != nil || nh.r.Code != rh.r.Code {
			p.bad(line, "region_name", name, "region_name_mismatch", rh.r.Name, "名称须与代码"+rh.r.Code+"一致（或为其别名）", "区划名称与代码不符")
			ok = false
		}
	}
	indText := field(rec, c.indicator)
	ih, seen := p.lastIH, indText == p.lastInd && p.lastInd != ""
	if !seen && p.lastIH != nil && p.lastIH.next != nil && p.lastIH.next.key == indText {
		ih, seen = p.lastIH.next, true
	}
	if !seen {
		ih, seen = p.inds[indText]
	}
	if !seen {
		in, err := p.cat.IndicatorByName(indText)
		ih = &indHit{in: in, err: err, key: strings.Clone(indText)}
		if err == nil {
			ih.id = p.out.strs.id(in.Code)
		}
		p.inds[ih.key] = ih
	}
	if indText != p.lastInd {
		if p.lastIH != nil && p.lastIH.next != ih {
			p.lastIH.next = ih
		}
		p.lastInd, p.lastIH = ih.key, ih
	}
	if ih.err != nil {
		hint := innowatch.HintOf(ih.err)
		if isASCIIWord(indText) {
			_, err := p.cat.Indicator(indText) // a code: hint with codes
			hint = innowatch.HintOf(err)
		}
		p.bad(line, "indicator", indText, "unknown_indicator", "指标目录中的代码或名称", hint, "未知的指标")
		ok = false
	}
	pt := field(rec, c.period)
	ph, seen := p.lastPH, pt == p.lastPeriod && p.lastPeriod != ""
	if !seen {
		ph, seen = p.periods[pt]
	}
	if !seen {
		per, err := ParsePeriodText(pt)
		ph = periodHit{p: per, err: err}
		p.periods[strings.Clone(pt)] = ph
	}
	if pt != p.lastPeriod {
		p.lastPeriod, p.lastPH = strings.Clone(pt), ph
	}
	per := ph.p
	if ph.err != nil {
		p.bad(line, "period", pt, "bad_period", PeriodSpellings, ph.err.Error(), "期别无法识别")
		ok = false
	} else if ih.err == nil {
		var fits bool
		if per, fits = fitPeriod(per, &ih.in); !fits {
			p.bad(line, "period", pt, "frequency_mismatch", "年度期别（如 2020 或 2020年）", ih.in.Code+"为年度指标", "期别与指标频率不符")
			ok = false
		}
		if rh.err == nil && !rh.r.ValidIn(per.Year) {
			p.bad(line, "period", pt, "region_not_valid", fmt.Sprintf("%s的有效年份", rh.r.Name), "该区划代码在此年份已停用或尚未启用", "该区划代码在此年份不使用")
			ok = false
		}
	}
	st := field(rec, c.status)
	status, seen := p.lastST, st == p.lastStatus && p.lastStatus != ""
	if !seen {
		status, seen = p.status[st]
	}
	if !seen {
		s, err := innowatch.ParseStatus(st)
		if err != nil {
			status = 255
		} else {
			status = statusCode(s)
		}
		p.status[strings.Clone(st)] = status
	}
	if st != p.lastStatus {
		p.lastStatus, p.lastST = strings.Clone(st), status
	}
	if status == 255 {
		p.bad(line, "status", st, "bad_status", "provisional（初步）或 final（核实）", "", "状态无法识别")
		ok = false
	}
	raw := field(rec, c.value)
	v, err := ParseNumber(raw)
	if err != nil {
		p.bad(line, "value", raw, "bad_number", "数字（可含千分位、全角数字、%），或缺失标记（—、－、-、…、/、空 或留空）", "", "数值无法识别")
		return
	}
	note := field(rec, c.note)
	if !ok {
		return
	}
	var reason uint32
	if v.Missing {
		reason = p.out.strs.id(missingReason(v.Marker, note))
	} else {
		unit := field(rec, c.unit)
		val, good := p.convert(line, ih, v, unit, raw)
		if !good {
			return
		}
		v.V = val
	}
	p.out.addIDs(rh.id, packPeriod(per), ih.id, v.V, reason, status, p.sheetID, int32(line), p.out.strs.id(note))
}

// convert turns a parsed value in unit into the catalog unit and checks its
// range, recording the problem when it fails.
func (p *rowParser) convert(line int, ih *indHit, v Value, unit, raw string) (float64, bool) {
	in := &ih.in
	if v.Percent {
		if unit == "" {
			unit = "%"
		}
		if unit != "%" && unit != "％" {
			p.bad(line, "value", raw, "bad_number", "不带%的数值（单位为"+unit+"）", "", "数值带有%，但单位不是%")
			return 0, false
		}
		unit = "%"
	}
	uh := ih.unit
	if uh == nil || uh.unit != unit {
		var seen bool
		if uh, seen = p.units[unitKey{in.Code, unit}]; !seen {
			f, err := p.cat.Convert(*in, 1, unit)
			uh = &unitHit{factor: f, err: err, unit: strings.Clone(unit)}
			p.units[unitKey{in.Code, uh.unit}] = uh
		}
		ih.unit = uh
	}
	if uh.err != nil {
		col := "unit"
		if v.Percent {
			col = "value"
		}
		p.bad(line, col, unit, "unknown_unit", in.Unit, innowatch.HintOf(uh.err), "单位不适用于该指标")
		return 0, false
	}
	val := convertDecimal(v.V, raw, uh.factor)
	if key, exp, msg, ok := checkValue(in, val); !ok {
		p.bad(line, "value", raw, key, exp, "", msg)
		return 0, false
	}
	return val, true
}

// missingReason says why a value is missing: the note when there is one,
// else the marker found.
func missingReason(marker, note string) string {
	if note != "" {
		return note
	}
	if marker == "" {
		return "未报送"
	}
	return "未报送（" + marker + "）"
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return s != ""
}

package pipelines

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/excel"
)

type sheetOutcome int

const (
	sheetRead    sheetOutcome = iota
	sheetNoTable              // no header found: not a data sheet
	sheetRefused              // a header was found, but it cannot be read
)

// wideColumn is a value column of a wide sheet.
type wideColumn struct {
	c      int
	header string
	ind    innowatch.Indicator
	indID  uint32
	unit   string
	factor float64
	period innowatch.Period
}

// wideSheet reads one sheet laid out a row per region, a column per indicator.
type wideSheet struct {
	b      *Batch
	cat    *innowatch.Catalog
	wb     *excel.Workbook
	s      *excel.Sheet
	m      *Mapping
	opt    ReadOptions
	filled [][]string // merged ranges filled with their top-left value

	header     []int // 0-based header rows
	regionCol  int
	codeCol    int // -1 when none
	title      string
	titleRow   int
	defUnit    string
	cols       []wideColumn
	refused    bool
	sheetID    uint32
	statusCode uint8
}

func (w *wideSheet) bad(r, c int, value, key, expected, hint, msg string) {
	col := ""
	if c >= 0 {
		col = excel.ColumnName(c)
	}
	w.b.report(Problem{Severity: SeverityError, Key: key, Sheet: w.s.Name, Row: r + 1, Column: col,
		Value: value, Message: msg, Expected: expected, Hint: hint})
}

func (w *wideSheet) warn(r, c int, value, key, expected, hint, msg string) {
	w.b.report(Problem{Severity: SeverityWarning, Key: key, Sheet: w.s.Name, Row: r + 1, Column: excel.ColumnName(c),
		Value: value, Message: msg, Expected: expected, Hint: hint})
}

func (w *wideSheet) read() sheetOutcome {
	w.fill()
	if !w.findHeader() {
		return sheetNoTable
	}
	st, _ := innowatch.ParseStatus(w.m.Status)
	w.statusCode = statusCode(st)
	w.sheetID = w.b.facts.strs.id(w.s.Name)
	period, ok := w.sheetPeriod()
	if w.refused {
		return sheetRefused
	}
	w.resolveColumns(period, ok)
	if w.refused {
		return sheetRefused
	}
	w.readRows()
	return sheetRead
}

// fill copies each merged range's value into all its cells.
func (w *wideSheet) fill() {
	w.filled = make([][]string, len(w.s.Rows))
	for r, row := range w.s.Rows {
		w.filled[r] = append([]string(nil), row...)
	}
	for _, m := range w.s.Merges {
		v := w.s.Cell(m.Top, m.Left)
		for r := m.Top; r <= m.Bottom && r < len(w.filled); r++ {
			for c := m.Left; c <= m.Right; c++ {
				for len(w.filled[r]) <= c {
					w.filled[r] = append(w.filled[r], "")
				}
				w.filled[r][c] = v
			}
		}
	}
}

func (w *wideSheet) cell(r, c int) string {
	if r < 0 || r >= len(w.filled) || c < 0 || c >= len(w.filled[r]) {
		return ""
	}
	return strings.TrimSpace(w.filled[r][c])
}

func labelIn(s string, list []string) bool {
	n := normLabel(s)
	for _, x := range list {
		if n == normLabel(x) {
			return true
		}
	}
	return false
}

// findHeader locates the header row(s), the region column and the title.
func (w *wideSheet) findHeader() bool {
	w.codeCol = -1
	regionHeaders := w.m.regionHeaders()
	h := -1
	if len(w.m.Rows.Header) > 0 {
		h = w.m.Rows.Header[0] - 1
	}
	for r := 0; h < 0 && r < len(w.filled) && r < 20; r++ {
		for c := range w.filled[r] {
			if labelIn(stripUnit(w.cell(r, c)), regionHeaders) || labelIn(w.cell(r, c), defaultCodeHeaders) {
				h = r
				break
			}
		}
	}
	if h < 0 {
		return false
	}
	w.header = []int{h}
	if len(w.m.Rows.Header) > 1 {
		w.header = nil
		for _, r := range w.m.Rows.Header {
			w.header = append(w.header, r-1)
		}
	} else if w.continuesHeader(h + 1) {
		w.header = append(w.header, h+1)
	}
	w.regionCol = -1
	if w.m.Region.Column != "" {
		w.regionCol, _ = excel.ColumnIndex(w.m.Region.Column)
	}
	for _, r := range w.header {
		for c := range w.filled[r] {
			v := stripUnit(w.cell(r, c))
			if w.codeCol < 0 && labelIn(v, defaultCodeHeaders) {
				w.codeCol = c
			} else if w.regionCol < 0 && labelIn(v, regionHeaders) {
				w.regionCol = c
			}
		}
	}
	if w.regionCol < 0 {
		w.regionCol = w.codeCol
	}
	for r := 0; r < h; r++ {
		for c := range w.filled[r] {
			v := w.cell(r, c)
			if v == "" {
				continue
			}
			if before, u, ok := splitUnitLine(v); ok {
				w.defUnit = u
				if before == "" {
					continue
				}
				v = before // a title ending in its unit
			}
			if w.title == "" {
				w.titleRow = r
			}
			if !strings.Contains(w.title, v) {
				w.title += v
			}
		}
	}
	return true
}

// continuesHeader reports whether row r is the second line of a two-line
// header: no region in the region column, text (not numbers) elsewhere.
func (w *wideSheet) continuesHeader(r int) bool {
	if r >= len(w.filled) {
		return false
	}
	h := r - 1
	text := false
	for c := range w.filled[r] {
		v := w.cell(r, c)
		if v == "" {
			continue
		}
		if labelIn(stripUnit(v), w.m.regionHeaders()) || labelIn(v, defaultCodeHeaders) {
			continue
		}
		if v == w.cell(h, c) {
			continue // a cell merged over both lines
		}
		if w.wb.IsDate(w.s.At(r, c)) {
			text = true // a date cell heading a period column
			continue
		}
		if _, err := ParseNumber(v); err == nil {
			return false
		}
		if _, err := w.cat.RegionByName(v); err == nil || labelIn(v, w.m.totals()) {
			return false
		}
		text = true
	}
	return text
}

var reUnit = regexp.MustCompile(`[（(]([^（()）]*)[)）]\s*$`)

// stripUnit removes a trailing "(万元)" or "（%）" from a header.
func stripUnit(s string) string { n, _ := splitUnit(s); return n }

// splitUnit splits "R&D经费支出（万元）" into the name and the unit.
func splitUnit(s string) (name, unit string) {
	s = strings.TrimSpace(s)
	if m := reUnit.FindStringSubmatchIndex(s); m != nil {
		unit = strings.TrimSpace(s[m[2]:m[3]])
		unit = strings.TrimPrefix(strings.TrimPrefix(unit, "单位："), "单位:")
		if unit == "％" {
			unit = "%"
		}
		return strings.TrimSpace(s[:m[0]]), unit
	}
	if strings.HasSuffix(s, "%") || strings.HasSuffix(s, "％") {
		return strings.TrimSpace(strings.TrimRight(s, "%％")), "%"
	}
	return s, ""
}

// normUnit spells a unit one way: full-width percent, spaces and a
// "单位：" prefix removed.
func normUnit(u string) string {
	u = strings.TrimSpace(u)
	u = strings.TrimPrefix(strings.TrimPrefix(u, "单位："), "单位:")
	u = strings.TrimSpace(u)
	if u == "％" {
		u = "%"
	}
	return u
}

// naturalUnit reports whether an indicator has one unit nobody states: a
// count (家, 个, 项) or a percentage.
func naturalUnit(in innowatch.Indicator) bool {
	return in.Kind == innowatch.KindCount || in.Unit == "%"
}

// commonUnits are units seen in headers besides the catalog's.
var commonUnits = []string{"元", "千元", "万元", "亿元", "千万元", "家", "个", "项", "户", "人", "件", "%", "％",
	"平方米", "万平方米", "㎡", "万㎡", "个百分点"}

// isUnitWord reports whether a header line is only a unit ("万元").
func (w *wideSheet) isUnitWord(s string) bool {
	s = normUnit(s)
	if s == "" {
		return false
	}
	for _, u := range commonUnits {
		if s == u {
			return true
		}
	}
	for _, in := range w.cat.Indicators() {
		if _, ok := in.Units[s]; ok || in.Unit == s {
			return true
		}
	}
	return false
}

// trailingUnit splits "研发经费万元" into "研发经费" and "万元" (the longest
// unit that ends the text).
func (w *wideSheet) trailingUnit(s string) (string, string, bool) {
	best := ""
	for _, u := range commonUnits {
		if strings.HasSuffix(s, u) && len(u) > len(best) && len(u) < len(s) {
			best = u
		}
	}
	if best == "" {
		return s, "", false
	}
	return strings.TrimSpace(strings.TrimSuffix(s, best)), best, true
}

// periodEnd orders periods by their last month (a year ends in December).
func periodEnd(p innowatch.Period) int {
	m := p.Month
	if m == 0 {
		m = 12
	}
	return p.Year*100 + m
}

// unitLine recognises "单位：万元" above a table; several units listed
// ("万元、家") set none.
func unitLine(s string) (string, bool) {
	_, u, ok := splitUnitLine(s)
	return u, ok
}

// splitUnitLine splits a title that carries the unit, "2020年…情况（单位：万元）",
// into the text before it and the unit.
func splitUnitLine(s string) (before, unit string, ok bool) {
	n := normLabel(s)
	for _, p := range []string{"计量单位:", "单位:"} {
		if i := strings.Index(n, p); i >= 0 {
			before = strings.TrimRight(strings.TrimSpace(n[:i]), "([【")
			u := strings.TrimSpace(n[i+len(p):])
			u = strings.TrimSpace(strings.TrimRight(u, ")]】"))
			if strings.ContainsAny(u, "、,;/") {
				return before, "", true
			}
			return before, u, true
		}
	}
	return "", "", false
}

var rePeriodIn = regexp.MustCompile(`\d{4}\s*年(?:度|全年|\s*\d{1,2}\s*[-—–~～至到]\s*\d{1,2}\s*月|\s*\d{1,2}\s*月|前?[一二三四1-4]季度|第[一二三四1-4]季度|上半年)?|\d{4}[-/.]\d{1,2}|\d{4}[Mm]\d{1,2}`)

// findPeriod finds a period spelled inside a longer text (a title). A
// period-like text that is not a usable period ("2020年3-10月") is an error.
func findPeriod(text string) (innowatch.Period, string, bool) {
	p, m, err := findPeriodErr(text)
	return p, m, m != "" && err == nil
}

func findPeriodErr(text string) (innowatch.Period, string, error) {
	t := normPeriodText(text)
	var first error
	for _, m := range rePeriodIn.FindAllString(t, -1) {
		p, err := ParsePeriodText(m)
		if err == nil {
			return p, m, nil
		}
		if first == nil {
			return innowatch.Period{}, m, err
		}
	}
	return innowatch.Period{}, "", first
}

// sheetPeriod decides the sheet's period: the mapping's, else the title's,
// else the sheet name's, else --period. --period and a stated period must
// agree.
func (w *wideSheet) sheetPeriod() (innowatch.Period, bool) {
	if w.m.Period != "" {
		p, _ := ParsePeriodText(w.m.Period)
		return p, true
	}
	p, where, ok := innowatch.Period{}, "", false
	var text string
	if tp, tt, err := findPeriodErr(w.title); err != nil {
		w.bad(w.titleRow, -1, tt, "bad_period", PeriodSpellings, err.Error(), "标题中的期别无法使用")
		w.refused = true
		return p, false
	} else if tt != "" {
		p, text, ok, where = tp, tt, true, "标题"
	} else if p, text, ok = findPeriod(w.s.Name); ok {
		where = "工作表名"
	} else if q, err := ParsePeriodText(w.s.Name); err == nil {
		p, text, ok, where = q, w.s.Name, true, "工作表名"
	}
	if ok && w.opt.Period != nil && *w.opt.Period != p {
		w.bad(w.titleRow, -1, text, "period_conflict", where+"中的期别 "+p.String(),
			"去掉 --period，或改正"+where, fmt.Sprintf("--period %s 与%s中的期别不一致", w.opt.Period, where))
		w.refused = true
		return p, false
	}
	if !ok && w.opt.Period != nil {
		return *w.opt.Period, true
	}
	return p, ok
}

// resolveColumns turns every header into an indicator, unit and period, or
// refuses the sheet with the headers that could not be read.
func (w *wideSheet) resolveColumns(sheetPeriod innowatch.Period, havePeriod bool) {
	width := 0
	for _, r := range w.header {
		width = max(width, len(w.filled[r]))
	}
	ignore := w.m.ignore()
	for c := 0; c < width; c++ {
		if c == w.regionCol || c == w.codeCol {
			continue
		}
		hr := w.header[0] // problems point at the first header line with text
		for _, r := range w.header {
			if w.cell(r, c) != "" {
				hr = r
				break
			}
		}
		var parts []string
		var partRows []int
		for _, r := range w.header {
			v := w.cell(r, c)
			if v != "" && (len(parts) == 0 || parts[len(parts)-1] != v) {
				parts = append(parts, v)
				partRows = append(partRows, r)
			}
		}
		if len(parts) == 0 {
			continue
		}
		full := strings.Join(parts, "")
		col := wideColumn{c: c, header: full, period: sheetPeriod}
		colPeriod := false
		var names []string
		// Every unit the column's header lines state, bracketed ("（万元）"),
		// bare on a line of its own ("万元") or as "单位：万元".
		var units []string
		addUnit := func(u string) {
			if u = normUnit(u); u != "" && indexOf(units, u) < 0 {
				units = append(units, u)
			}
		}
		for i := len(parts) - 1; i >= 0; i-- { // the lower line is the more specific
			n, u := splitUnit(parts[i])
			if u != "" {
				addUnit(u)
			}
			if n == "" {
				continue
			}
			if lu, ok := unitLine(n); ok {
				addUnit(lu)
				continue
			}
			if w.isUnitWord(n) {
				addUnit(n)
				continue
			}
			if p, err := ParsePeriodText(n); err == nil {
				col.period, colPeriod = p, true
				continue
			}
			if v, err := strconv.ParseFloat(n, 64); err == nil && w.wb.IsDate(w.s.At(partRows[i], c)) {
				if p, err := PeriodFromExcelDate(v); err == nil {
					col.period, colPeriod = p, true
					continue
				}
			}
			names = append(names, n)
		}
		if len(names) > 1 {
			names = []string{names[0], names[1] + names[0], names[1]}
		}
		spec, declared := w.declared(c, full, names)
		if declared && spec.Skip {
			continue
		}
		// "同比(%)" under a merged "高新技术产业产值" is the growth rate of
		// the amount beside it, not the amount: the lowest line decides,
		// unless the mapping declares that very column.
		if len(names) > 0 && containsAny(names[0], ignore) &&
			(!declared || spec.Column == "" && normLabel(stripUnit(spec.Header)) != normLabel(names[0])) {
			continue
		}
		var ind innowatch.Indicator
		var err error = fmt.Errorf("no header")
		if declared {
			ind, err = w.cat.IndicatorByName(spec.Indicator)
			if spec.Period != "" {
				col.period, _ = ParsePeriodText(spec.Period)
				colPeriod = true
			}
		} else {
			for _, n := range names {
				if ind, err = w.cat.IndicatorByName(n); err == nil {
					break
				}
			}
			if err != nil {
				// A unit run into the name without brackets: "研发经费万元".
				for _, n := range names {
					if base, u, ok := w.trailingUnit(n); ok {
						if in, e := w.cat.IndicatorByName(base); e == nil {
							ind, err = in, nil
							addUnit(u)
							break
						}
					}
				}
			}
		}
		if err != nil {
			if len(names) > 0 && containsAny(strings.Join(names, ""), ignore) {
				continue
			}
			hint := ""
			if len(names) > 0 {
				_, e := w.cat.IndicatorByName(names[0])
				hint = innowatch.HintOf(e)
			}
			w.bad(hr, c, full, "unknown_indicator", "指标目录中的指标名称或别名", hint+"；或在模板映射的 columns 中声明此列，或列入 ignore", "表头无法对应到指标")
			w.refused = true
			continue
		}
		if len(units) > 1 {
			w.bad(hr, c, full, "unit_conflict", "每列只写一个单位", "表头写了 "+strings.Join(units, " 和 ")+"：请删去不对的一个",
				"同一列的表头写了两个不同的单位")
			w.refused = true
			continue
		}
		unit := ""
		if len(units) == 1 {
			unit = units[0]
		}
		if unit == "" && declared && spec.Unit != "" {
			unit = spec.Unit
		}
		if unit == "" && w.defUnit != "" {
			if _, err := w.cat.Convert(ind, 1, w.defUnit); err == nil {
				unit = w.defUnit
			}
		}
		if unit == "" {
			if !naturalUnit(ind) {
				w.bad(hr, c, full, "unknown_unit", "表头写明单位，如“"+ind.NameZH+"（万元）”",
					"该列表头和表上方都没有写单位（"+ind.NameZH+"常以万元或亿元报送）；请在表头注明单位，或在模板映射的 columns 中写 unit",
					"无法确定该列的单位")
				w.refused = true
				continue
			}
			unit = ind.Unit
		}
		f, err := w.cat.Convert(ind, 1, unit)
		if err != nil {
			w.bad(hr, c, full, "unknown_unit", ind.Unit, innowatch.HintOf(err), "表头中的单位不适用于该指标")
			w.refused = true
			continue
		}
		if colPeriod && havePeriod && periodEnd(col.period) > periodEnd(sheetPeriod) {
			w.bad(hr, c, full, "period_after_title", "不晚于标题中的期别 "+sheetPeriod.String(),
				"表头中的期别晚于标题期别：请核对表头或标题", "列的期别晚于标题中的期别")
			w.refused = true
			continue
		}
		if !havePeriod && !colPeriod {
			w.bad(w.titleRow, -1, w.title, "missing_period", PeriodSpellings,
				"在标题或工作表名中写明期别（如“2020年1-10月”），或用 --period 2020-10 指定", "无法确定期别")
			w.refused = true
			return
		}
		p, fits := fitPeriod(col.period, &ind)
		if !fits {
			w.bad(hr, c, full, "frequency_mismatch", "年度期别（标题写“2020年”）", ind.Code+"为年度指标，而期别为 "+col.period.String(), "期别与指标频率不符")
			w.refused = true
			continue
		}
		col.period, col.ind, col.unit, col.factor = p, ind, unit, f
		col.indID = w.b.facts.strs.id(ind.Code)
		w.cols = append(w.cols, col)
	}
	if len(w.cols) == 0 && !w.refused {
		w.bad(w.header[0], -1, "", "no_indicator_columns", "至少一列可对应到指标目录的表头", "", "表头中没有可识别的指标列")
		w.refused = true
	}
}

// declared finds the mapping's entry for column c.
func (w *wideSheet) declared(c int, full string, names []string) (ColumnMap, bool) {
	for _, cm := range w.m.Columns {
		if cm.Column != "" {
			if i, err := excel.ColumnIndex(cm.Column); err == nil && i == c {
				return cm, true
			}
			continue
		}
		h := normLabel(stripUnit(cm.Header))
		if h == normLabel(full) || h == normLabel(stripUnit(full)) {
			return cm, true
		}
		for _, n := range names {
			if h == normLabel(n) {
				return cm, true
			}
		}
	}
	return ColumnMap{}, false
}

func containsAny(s string, words []string) bool {
	n := normLabel(s)
	for _, w := range words {
		if w != "" && strings.Contains(n, normLabel(w)) {
			return true
		}
	}
	return false
}

package pipelines

import (
	"fmt"
	"strings"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/excel"
)

// totalRow is a total row (全市, 合计) as read.
type totalRow struct {
	r      int
	label  string
	values map[int]Value // by column
}

// partSum adds up the parts of a total, per column.
type partSum struct {
	sum     float64
	n       int
	missing []string // parts without a value
}

// readRows reads the data rows below the header.
func (w *wideSheet) readRows() {
	first := w.header[len(w.header)-1] + 1
	if w.m.Rows.First > 0 {
		first = w.m.Rows.First - 1
	}
	last := len(w.s.Rows) - 1
	if w.m.Rows.Last > 0 {
		last = min(last, w.m.Rows.Last-1)
	}
	totals, footnotes := w.m.totals(), w.m.footnotes()
	totalRegion := w.m.TotalRegion
	var tr []totalRow
	sums := map[int]*partSum{}
	city := map[int]Value{}
	afterNote := false
	// A row refused (unknown region, unreadable cell) makes the sums of
	// parts unknowable: the total checks are skipped rather than misleading.
	partsKnown := true
	for r := first; r <= last; r++ {
		raw := w.s.Rows[r]
		firstText, numbers := "", false
		for c, v := range raw {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if firstText == "" {
				firstText = v
			}
			if c != w.regionCol && c != w.codeCol {
				if _, err := ParseNumber(v); err == nil {
					numbers = true
				}
			}
		}
		if firstText == "" {
			continue
		}
		if isFootnote(firstText, footnotes) {
			afterNote = true
			continue
		}
		if afterNote && !numbers {
			continue // the continuation lines of a note
		}
		w.b.RowsRead++
		label := w.cell(r, w.regionCol)
		if labelIn(label, totals) {
			t := totalRow{r: r, label: label, values: map[int]Value{}}
			for _, col := range w.cols {
				if v, ok := w.value(r, col); ok {
					t.values[col.c] = v
				}
			}
			tr = append(tr, t)
			continue
		}
		region, ok := w.region(r, label)
		if !ok {
			partsKnown = false
			continue
		}
		regionID := w.b.facts.strs.id(region.Code)
		for _, col := range w.cols {
			v, ok := w.value(r, col)
			if !ok {
				partsKnown = false
				continue
			}
			if !region.ValidIn(col.period.Year) {
				w.bad(r, w.regionCol, label, "region_not_valid", region.Name+"的有效年份", "该区划代码在此年份已停用或尚未启用", "该区划在此年份不使用")
				break
			}
			reason := uint32(0)
			if v.Missing {
				reason = w.b.facts.strs.id(missingReason(v.Marker, ""))
			}
			w.b.facts.addIDs(regionID, packPeriod(col.period), col.indID, v.V, reason, w.statusCode, w.sheetID, int32(r+1), 0)
			if totalRegion == "" {
				continue
			}
			if region.Code == totalRegion {
				city[col.c] = v
			} else if region.Parent == totalRegion && region.Level != innowatch.LevelZone {
				ps := sums[col.c]
				if ps == nil {
					ps = &partSum{}
					sums[col.c] = ps
				}
				ps.n++
				if v.Missing {
					ps.missing = append(ps.missing, region.Name)
				} else {
					ps.sum += v.V
				}
			}
		}
	}
	if !partsKnown {
		sums = nil
	}
	w.checkTotals(tr, sums, city)
}

// isFootnote recognises "注：…", "数据来源：…" and the like.
func isFootnote(text string, prefixes []string) bool {
	n := normLabel(text)
	for _, p := range prefixes {
		p = normLabel(p)
		if p == "" || !strings.HasPrefix(n, p) {
			continue
		}
		rest := []rune(n[len(p):])
		if len([]rune(p)) > 1 || len(rest) == 0 || strings.ContainsRune(":：、.0123456789（(", rest[0]) {
			return true
		}
	}
	return false
}

// region resolves a row's region by code (a code column, or a code in the
// region column) or by name through the aliases.
func (w *wideSheet) region(r int, label string) (innowatch.Region, bool) {
	code := ""
	if w.codeCol >= 0 {
		code = w.cell(r, w.codeCol)
	} else if isDigits(label) && len(label) == 6 {
		code = label
	}
	if code != "" {
		col := w.codeCol
		if col < 0 {
			col = w.regionCol
		}
		reg, err := w.cat.Region(code)
		viaFormer := false
		if err != nil {
			if fr, found, ok := w.former(r, col, code); found {
				if !ok {
					return fr, false
				}
				reg, err, viaFormer = fr, nil, true
			}
		}
		if err != nil {
			w.bad(r, col, code, "unknown_region", "已知的6位区划代码", innowatch.HintOf(err), "未知的区划代码")
			return reg, false
		}
		if label != "" && label != code && w.codeCol >= 0 {
			if byName, err := w.cat.RegionByName(label); err == nil && byName.Code == reg.Code {
				return reg, true
			}
			if warn, ok := formerNameFits(w.cat, label, reg); ok {
				if !viaFormer { // the code's warning said it already
					warn.Sheet, warn.Row, warn.Column = w.s.Name, r+1, excel.ColumnName(w.regionCol)
					w.b.report(warn)
				}
				return reg, true
			}
			w.bad(r, w.regionCol, label, "region_name_mismatch", reg.Name, "名称须与代码"+code+"一致（或为其别名）", "区划名称与代码不符")
			return reg, false
		}
		return reg, true
	}
	if label == "" {
		w.bad(r, w.regionCol, "", "missing_region", "地区名称或代码", "", "该行有数值但没有地区")
		return innowatch.Region{}, false
	}
	reg, err := w.cat.RegionByName(label)
	if err != nil {
		if fr, found, ok := w.former(r, w.regionCol, label); found {
			return fr, ok
		}
		w.bad(r, w.regionCol, label, "unknown_region", "地区名称（经别名表匹配）或6位代码", innowatch.HintOf(err), "未知的地区名称")
		return reg, false
	}
	return reg, true
}

// former reads a value the catalog does not know as a former code or name
// (the sheet's title and names give the city): found when it is one, ok when
// it maps to one unit of today; the warning or the refusal is reported.
func (w *wideSheet) former(r, c int, value string) (reg innowatch.Region, found, ok bool) {
	reg, pr, found := regionByFormer(w.cat, value, w.title, w.s.Name, w.b.File)
	if !found {
		return reg, false, false
	}
	pr.Sheet, pr.Row, pr.Column = w.s.Name, r+1, excel.ColumnName(c)
	w.b.report(pr)
	return reg, true, pr.Severity == SeverityWarning
}

// value reads, converts and checks one cell; false when it is refused (the
// problem is recorded).
func (w *wideSheet) value(r int, col wideColumn) (Value, bool) {
	raw := ""
	if r < len(w.s.Rows) && col.c < len(w.s.Rows[r]) {
		raw = strings.TrimSpace(w.s.Rows[r][col.c])
	}
	cell := w.s.At(r, col.c)
	switch cell.Kind {
	case excel.FormulaNoValue:
		w.b.report(formulaProblem(w.b.File, w.s.Name, r, excel.ColumnName(col.c)))
		return Value{}, false
	case excel.Bool, excel.Error:
		w.bad(r, col.c, raw, "bad_number", "数字，或缺失标记（—、－、-、…、/、空 或留空）", "表头："+col.header,
			"单元格不是数值（"+map[excel.Kind]string{excel.Bool: "逻辑值", excel.Error: "错误值"}[cell.Kind]+"）")
		return Value{}, false
	}
	if w.wb.IsPercent(cell) {
		if col.unit != "%" {
			w.bad(r, col.c, raw, "bad_number", "不带%的数值（单位为"+col.unit+"）", "表头："+col.header, "单元格格式为百分比，但该列单位不是%")
			return Value{}, false
		}
		raw = shiftDecimal(raw, 2) // 0.1 shown as 10.00% is 10
	}
	v, err := ParseNumber(raw)
	if err != nil {
		w.bad(r, col.c, raw, "bad_number", "数字（可含千分位、全角数字、%），或缺失标记（—、－、-、…、/、空 或留空）", "表头："+col.header, "数值无法识别")
		return v, false
	}
	if v.Missing {
		return v, true
	}
	if v.Percent && col.unit != "%" {
		w.bad(r, col.c, raw, "bad_number", "不带%的数值（单位为"+col.unit+"）", "表头："+col.header, "数值带有%，但该列单位不是%")
		return v, false
	}
	v.V = convertDecimal(v.V, raw, col.factor)
	if key, exp, msg, ok := checkValue(&col.ind, v.V); !ok {
		w.bad(r, col.c, raw, key, exp, "表头："+col.header, msg)
		return v, false
	}
	return v, true
}

// checkTotals compares each total row with the sum of its parts (counties
// of the total's region, zones excluded: they overlap counties) and with the
// city's own row; both disagreements are warnings, the total is not loaded.
func (w *wideSheet) checkTotals(tr []totalRow, sums map[int]*partSum, city map[int]Value) {
	for _, t := range tr {
		for _, col := range w.cols {
			v, ok := t.values[col.c]
			if !ok || v.Missing {
				continue
			}
			if w.m.TotalRegion != "" {
				w.b.Totals = append(w.b.Totals, Total{Region: w.m.TotalRegion, Period: col.period, Indicator: col.ind.Code,
					Value: v.V, Sheet: w.s.Name, Row: t.r + 1, Column: excel.ColumnName(col.c), Label: t.label})
			}
			unit := col.ind.Unit
			if cv, ok := city[col.c]; ok && !cv.Missing && !closeEnough(v.V, cv.V, 1) {
				w.warn(t.r, col.c, innowatch.FormatFloat(v.V), "total_mismatch_city",
					innowatch.FormatFloat(cv.V)+" "+unit+"（本表中的全市数）", "合计行不入库；请核对两行是否同一口径",
					fmt.Sprintf("“%s”行与本表中的城市数值不一致", t.label))
			}
			ps := sums[col.c]
			if col.ind.Kind == innowatch.KindRatio || ps == nil || ps.n < 2 || len(ps.missing) > 0 {
				continue
			}
			if !closeEnough(v.V, ps.sum, ps.n) {
				w.warn(t.r, col.c, innowatch.FormatFloat(v.V), "total_mismatch",
					fmt.Sprintf("%s %s（%d个县区之和，功能区不计入）", innowatch.FormatFloat(ps.sum), unit, ps.n),
					"合计行不入库，但与分项之和不符说明某行数据可能有误", fmt.Sprintf("“%s”行与各地区之和不一致", t.label))
			}
		}
	}
}

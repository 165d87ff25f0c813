package pipelines

import (
	"errors"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/excel"
)

// readXLSX reads every visible sheet of a workbook: wide templates (a row per
// region, a column per indicator) through a Mapping, and long-layout sheets
// (region_code, period, indicator, value columns) like a long CSV. A
// problem's Row is the Excel row number and Column the column letter.
// Sheets are streamed: a long sheet is validated row by row as it is
// decompressed (bounded memory at any length); a wide sheet, a row per
// region, is held whole because its merged header cells are needed.
func readXLSX(name string, data []byte, cat *innowatch.Catalog, opt ReadOptions) *Batch {
	b := newBatch(name, data)
	b.Format = "wide_xlsx"
	wb, err := excel.Open(data)
	if err != nil {
		b.report(xlsxOpenProblem(err))
		return b
	}
	defer wb.Close()
	wb.Progress = opt.Progress
	mappings := opt.Mappings
	if mappings == nil {
		if mappings, err = BuiltinMappings(); err != nil {
			b.report(Problem{Severity: SeverityError, Key: "bad_mapping", Message: "内置模板映射无法读取: " + err.Error()})
			return b
		}
	}
	if opt.Mapping != nil {
		if err := opt.Mapping.Validate(cat); err != nil {
			b.report(Problem{Severity: SeverityError, Key: "bad_mapping", Message: "模板映射与指标目录不符: " + err.Error(),
				Hint: innowatch.HintOf(err)})
			return b
		}
	}
	read, skipped := 0, []string{}
	var used []string
	for _, sh := range wb.Sheets() {
		sr := &sheetStream{b: b, wb: wb, cat: cat, s: &excel.Sheet{Name: sh}}
		merges, err := wb.Stream(sh, sr.row)
		if err != nil {
			b.report(Problem{Severity: SeverityError, Key: "bad_xlsx", Sheet: sh, Message: "工作表无法读取: " + err.Error()})
			continue
		}
		if sr.long == nil {
			sr.decide()
		}
		if sr.long != nil {
			sr.long.finish()
			b.Format = "long_xlsx"
			read++
			continue
		}
		s := sr.s
		s.Merges = merges
		if sheetEmpty(s) {
			continue
		}
		m := chooseMapping(s, opt.Mapping, mappings)
		if !m.readsSheet(sh) {
			continue
		}
		w := &wideSheet{b: b, cat: cat, wb: wb, s: s, m: m, opt: opt}
		switch w.read() {
		case sheetRead:
			read++
			if indexOf(used, m.Name) < 0 {
				used = append(used, m.Name)
			}
		case sheetNoTable:
			skipped = append(skipped, sh)
		}
	}
	b.Mapping = strings.Join(used, ",")
	if read == 0 && !b.HasErrors() {
		p := Problem{Severity: SeverityError, Key: "no_table", Message: "工作簿中没有可识别的数据表",
			Expected: "表头含地区列（地区、县区、单位…）和指标列（按指标目录名称或别名），或长表列 region_code,period,indicator,value",
			Hint:     "检查是否发错了工作簿；新模板请写一个模板映射（docs/INGEST.md）并用 --mapping 指定"}
		if len(skipped) > 0 {
			p.Sheet = strings.Join(skipped, "、")
		}
		b.report(p)
	}
	checkFacts(b, cat)
	return b
}

// xlsxOpenProblem says why a workbook could not be opened: encrypted, an
// old BIFF file, or damaged.
func xlsxOpenProblem(err error) Problem {
	switch {
	case errors.Is(err, excel.ErrEncrypted):
		return Problem{Severity: SeverityError, Key: "encrypted", Message: "工作簿已加密（设有打开密码），无法读取",
			Expected: "未加密的 .xlsx 工作簿",
			Hint:     "在 Excel/WPS 中用密码打开，文件→信息→保护工作簿→用密码进行加密，清空密码后保存，再导入"}
	case errors.Is(err, excel.ErrOLE):
		return Problem{Severity: SeverityError, Key: "wrong_format", Message: "文件内容是旧版 .xls 工作簿，与扩展名不符",
			Expected: "xlsx 文件", Hint: xlsHint}
	}
	return Problem{Severity: SeverityError, Key: "bad_xlsx", Message: "工作簿无法打开: " + err.Error(),
		Expected: "完整的 .xlsx 工作簿", Hint: "文件可能被截断或已损坏；请用 Excel 打开后另存为 .xlsx 再导入"}
}

// longSniffRows is how many rows are buffered before a sheet is known to be
// long (a region_code, period, indicator, value header) or wide.
const longSniffRows = 10

// sheetStream receives a sheet's rows as they are decompressed: it buffers
// the first rows, then either validates a long sheet row by row or keeps a
// wide sheet whole.
type sheetStream struct {
	b    *Batch
	wb   *excel.Workbook
	cat  *innowatch.Catalog
	s    *excel.Sheet
	long *longSheet
	done bool // decided: wide
}

func (x *sheetStream) row(r int, cells []excel.Cell) error {
	if x.long != nil {
		x.long.row(r, cells)
		return nil
	}
	for len(x.s.Cells) < r {
		x.s.Cells = append(x.s.Cells, nil)
		x.s.Rows = append(x.s.Rows, nil)
	}
	row := append([]excel.Cell(nil), cells...)
	vals := make([]string, len(row))
	for i, c := range row {
		vals[i] = c.Value
	}
	x.s.Cells = append(x.s.Cells, row)
	x.s.Rows = append(x.s.Rows, vals)
	if !x.done && len(x.s.Rows) >= longSniffRows {
		x.decide()
	}
	return nil
}

// decide looks for a long header among the buffered rows; a long sheet then
// reads them and streams the rest.
func (x *sheetStream) decide() {
	x.done = true
	h := findLongHeader(x.s)
	if h < 0 {
		return
	}
	ls := newLongSheet(x.b, x.wb, x.s.Name, x.s.Rows[h], h, x.cat)
	if ls == nil {
		x.long = &longSheet{} // header refused: the rest is not read
		x.long.dead = true
		return
	}
	x.long = ls
	for r := h + 1; r < len(x.s.Cells); r++ {
		if len(x.s.Cells[r]) > 0 {
			ls.row(r, x.s.Cells[r])
		}
	}
	x.s.Rows, x.s.Cells = nil, nil
}

// chooseMapping picks the forced mapping, else the first whose title or
// sheet texts match, else the last (the default).
func chooseMapping(s *excel.Sheet, forced *Mapping, all []*Mapping) *Mapping {
	if forced != nil {
		return forced
	}
	var head strings.Builder
	for r := 0; r < len(s.Rows) && r < 4; r++ {
		for _, c := range s.Rows[r] {
			head.WriteString(c)
			head.WriteByte(' ')
		}
	}
	for _, m := range all {
		if m.matches(head.String(), s.Name) {
			return m
		}
	}
	if len(all) > 0 {
		return all[len(all)-1]
	}
	return &Mapping{Name: "default"}
}

func sheetEmpty(s *excel.Sheet) bool {
	for _, row := range s.Rows {
		for _, c := range row {
			if strings.TrimSpace(c) != "" {
				return false
			}
		}
	}
	return true
}

// findLongHeader finds, among the first rows, a long-layout header: the
// row naming at least the indicator and value columns and a region column.
func findLongHeader(s *excel.Sheet) int {
	for r := 0; r < len(s.Rows) && r < 10; r++ {
		have := map[string]bool{}
		for _, c := range s.Rows[r] {
			h := strings.ToLower(strings.TrimSpace(c))
			if canon, ok := columnAliases[h]; ok {
				h = canon
			}
			have[h] = true
		}
		if have["region_code"] && have["period"] && have["indicator"] && have["value"] {
			return r
		}
	}
	return -1
}

// longSheet validates a long-layout sheet row by row; date-formatted period
// cells are Excel date serials and become their month, percent-formatted
// values are shares (0.1 is 10 %), booleans and formulas without a cached
// result are refused.
type longSheet struct {
	b    *Batch
	wb   *excel.Workbook
	name string
	col  map[string]int
	cols longCols
	p    *rowParser
	rec  []string
	dead bool
}

func newLongSheet(b *Batch, wb *excel.Workbook, name string, headerRow []string, h int, cat *innowatch.Catalog) *longSheet {
	header := make([]string, len(headerRow))
	for i, c := range headerRow {
		header[i] = strings.ToLower(strings.TrimSpace(c))
	}
	before := len(b.Problems)
	col, ok := mapHeader(b, header, longRequired, longOptional)
	for i := before; i < len(b.Problems); i++ {
		b.Problems[i].Sheet, b.Problems[i].Row = name, h+1
	}
	if !ok {
		return nil
	}
	cols := newLongCols(col, len(header))
	p := newRowParser(cat, b.File, name, cols)
	p.writeTo(b.facts)
	return &longSheet{b: b, wb: wb, name: name, col: col, cols: cols, p: p, rec: make([]string, len(header))}
}

func (ls *longSheet) row(r int, cells []excel.Cell) {
	if ls.dead {
		return
	}
	rec := ls.rec
	empty := true
	for i := range rec {
		rec[i] = ""
		if i < len(cells) {
			rec[i] = cells[i].Value
			if cells[i].Kind != excel.Empty && strings.TrimSpace(cells[i].Value) != "" || cells[i].Kind == excel.FormulaNoValue {
				empty = false
			}
		}
	}
	if empty {
		return
	}
	ls.b.RowsRead++
	if pc := ls.cols.period; pc < len(cells) && ls.wb.IsDate(cells[pc]) {
		if v, err := strconv.ParseFloat(strings.TrimSpace(rec[pc]), 64); err == nil {
			if per, err := PeriodFromExcelDate(v); err == nil {
				rec[pc] = per.String()
			}
		}
	}
	if vc := ls.cols.value; vc < len(cells) {
		c := cells[vc]
		switch {
		case c.Kind == excel.FormulaNoValue:
			ls.p.problem(formulaProblem(ls.b.File, ls.name, r, excel.ColumnName(vc)+"（value）"))
			return
		case ls.wb.IsPercent(c):
			rec[vc] = shiftDecimal(strings.TrimSpace(c.Value), 2) + "%"
		}
	}
	ls.p.row(r+1, rec)
}

// finish hands the sheet's problems to the batch.
func (ls *longSheet) finish() {
	if ls.dead {
		return
	}
	p, b := ls.p, ls.b
	for i := range p.probs {
		if len(p.probs[i].Column) > 0 {
			if c, ok := ls.col[p.probs[i].Column]; ok {
				p.probs[i].Column = excel.ColumnName(c) + "（" + p.probs[i].Column + "）"
			}
		}
		b.report(p.probs[i])
	}
	for sev, k := range p.more {
		if b.Dropped == nil {
			b.Dropped = map[Severity]int{}
		}
		b.Dropped[sev] += k
	}
}

// formulaProblem refuses a formula cell saved without its result: Excel
// writes one when a file is produced by a program, not saved by Excel. It is
// never recorded as not reported.
func formulaProblem(file, sheet string, r int, column string) Problem {
	return Problem{Severity: SeverityError, Key: "formula_no_value", File: file, Sheet: sheet, Row: r + 1, Column: column,
		Message: "公式没有计算结果，请在 Excel/WPS 中打开并保存后再报送", Expected: "数值（公式须已计算并保存）",
		Hint: "在 Excel/WPS 中打开此文件并保存，公式结果会一并保存"}
}

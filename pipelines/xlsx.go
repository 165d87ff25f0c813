package pipelines

import (
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/excel"
)

// readXLSX reads every visible sheet of a workbook: wide templates (a row per
// region, a column per indicator) through a Mapping, and long-layout sheets
// (region_code, period, indicator, value columns) like a long CSV. A
// problem's Row is the Excel row number and Column the column letter.
func readXLSX(name string, data []byte, cat *innowatch.Catalog, opt ReadOptions) *Batch {
	b := newBatch(name, data)
	b.Format = "wide_xlsx"
	wb, err := excel.Open(data)
	if err != nil {
		b.report(Problem{Severity: SeverityError, Key: "bad_xlsx", Message: "工作簿无法打开: " + err.Error(),
			Expected: "完整的 .xlsx 工作簿", Hint: "文件可能被截断或加了密码；请用 Excel 打开后另存为 .xlsx 再导入"})
		return b
	}
	defer wb.Close()
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
		s, err := wb.Read(sh)
		if err != nil {
			b.report(Problem{Severity: SeverityError, Key: "bad_xlsx", Sheet: sh, Message: "工作表无法读取: " + err.Error()})
			continue
		}
		if sheetEmpty(s) {
			continue
		}
		if h := findLongHeader(s); h >= 0 {
			b.Format = "long_xlsx"
			readLongSheet(b, wb, s, h, cat)
			read++
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

// readLongSheet reads a long-layout sheet; date-formatted period cells are
// Excel date serials and become their month.
func readLongSheet(b *Batch, wb *excel.Workbook, s *excel.Sheet, h int, cat *innowatch.Catalog) {
	header := make([]string, len(s.Rows[h]))
	for i, c := range s.Rows[h] {
		header[i] = strings.ToLower(strings.TrimSpace(c))
	}
	before := len(b.Problems)
	col, ok := mapHeader(b, header, longRequired, longOptional)
	for i := before; i < len(b.Problems); i++ {
		b.Problems[i].Sheet, b.Problems[i].Row = s.Name, h+1
	}
	if !ok {
		return
	}
	cols := newLongCols(col, len(header))
	p := newRowParser(cat, b.File, s.Name, cols)
	p.writeTo(b.facts)
	rec := make([]string, len(header))
	for r := h + 1; r < len(s.Rows); r++ {
		row := s.Rows[r]
		empty := true
		for i := range rec {
			rec[i] = ""
			if i < len(row) {
				rec[i] = row[i]
				if strings.TrimSpace(row[i]) != "" {
					empty = false
				}
			}
		}
		if empty {
			continue
		}
		b.RowsRead++
		if v, err := strconv.ParseFloat(strings.TrimSpace(rec[cols.period]), 64); err == nil && wb.IsDate(s.Name, r, cols.period) {
			if per, err := PeriodFromExcelDate(v); err == nil {
				rec[cols.period] = per.String()
			}
		}
		p.row(r+1, rec)
	}
	for i := range p.probs {
		if len(p.probs[i].Column) > 0 {
			if c, ok := col[p.probs[i].Column]; ok {
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

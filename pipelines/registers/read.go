package registers

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/excel"
	"github.com/linyi-sti/innowatch/pipelines"
)

// Options steer Read.
type Options struct {
	// Kind forces the roster kind; "" detects it from the headers.
	Kind Kind
	// Mapping declares other header spellings (and fixes the kind).
	Mapping *Mapping
	// Encoding of a CSV file: pipelines.EncAuto detects it.
	Encoding string
}

// Roster is a file as read: its rows in the column order of its kind, and
// every problem found. It is loadable only when it has no errors.
type Roster struct {
	File     string
	Kind     Kind
	Format   string // "csv" or "xlsx"
	Encoding string
	Mapping  string
	Hash     string // sha256 of the bytes
	Rows     []Row
	Problems pipelines.Problems
	// More counts the problems beyond maxProblems that were not kept.
	More int
}

// Row is one validated row: Values follow the kind's columns (string,
// time.Time, float64, int32 or nil for an empty optional cell).
type Row struct {
	Sheet  string
	Line   int // 1-based line or Excel row
	Values []any
}

// HasErrors reports whether the file must be refused.
func (r *Roster) HasErrors() bool { return len(r.Problems.Errors()) > 0 || r.More > 0 }

// Err returns the problems as an error when the file is refused, else nil.
func (r *Roster) Err() error {
	if !r.HasErrors() {
		return nil
	}
	return r.Problems
}

// maxProblems bounds the problems kept for a file; the rest are counted.
const maxProblems = 1000

func (r *Roster) report(p pipelines.Problem) {
	if p.File == "" {
		p.File = r.File
	}
	if len(r.Problems) >= maxProblems {
		if p.Severity == pipelines.SeverityError {
			r.More++
		}
		return
	}
	r.Problems = append(r.Problems, p)
}

// table is a sheet (or a CSV file) as text cells.
type table struct {
	name   string // sheet name, "" for CSV
	rows   [][]string
	isDate func(r, c int) bool
}

// Read reads and validates a roster file held in memory: XLSX (by its
// content) or CSV in UTF-8, GBK or GB18030.
func Read(name string, data []byte, cat *innowatch.Catalog, opt Options) *Roster {
	sum := sha256.Sum256(data)
	ro := &Roster{File: name, Hash: hex.EncodeToString(sum[:])}
	if opt.Mapping != nil {
		ro.Mapping = opt.Mapping.Name
		if opt.Kind == "" {
			opt.Kind = opt.Mapping.Kind
		}
	}
	var tables []table
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		ro.Format = "xlsx"
		wb, err := excel.Open(data)
		if err != nil {
			ro.report(pipelines.Problem{Severity: pipelines.SeverityError, Key: "bad_xlsx", Message: "工作簿无法打开: " + err.Error(),
				Expected: "完整的 .xlsx 工作簿", Hint: "请用 Excel 打开后另存为 .xlsx 再导入"})
			return ro
		}
		defer wb.Close()
		for _, sh := range wb.Sheets() {
			if opt.Mapping != nil && !opt.Mapping.readsSheet(sh) {
				continue
			}
			s, err := wb.Read(sh)
			if err != nil {
				ro.report(pipelines.Problem{Severity: pipelines.SeverityError, Key: "bad_xlsx", Sheet: sh, Message: "工作表无法读取: " + err.Error()})
				continue
			}
			tables = append(tables, table{name: sh, rows: s.Rows, isDate: func(r, c int) bool { return wb.IsDate(s.At(r, c)) }})
		}
	} else {
		ro.Format = "csv"
		t, ok := readCSVTable(ro, data, opt.Encoding)
		if !ok {
			return ro
		}
		tables = append(tables, t)
	}
	rd := &reader{ro: ro, cat: cat, opt: opt, regions: map[string]regionResult{}, seen: map[string]int{}}
	for _, t := range tables {
		rd.readTable(t)
	}
	if ro.Kind == "" && !ro.HasErrors() {
		ro.report(pipelines.Problem{Severity: pipelines.SeverityError, Key: "no_roster_header", Message: "文件中没有可识别的名单表头",
			Expected: expectedHeaders(opt.Kind),
			Hint:     "表头应在前10行内；其他表头写法请用模板映射（docs/REGISTERS.md）"})
	}
	rd.crossChecks()
	return ro
}

func expectedHeaders(k Kind) string {
	kinds := Kinds
	if k != "" {
		kinds = []Kind{k}
	}
	var parts []string
	for _, k := range kinds {
		var hs []string
		for _, c := range specs[k].cols {
			h := c.header
			if c.optional {
				h = "[" + h + "]"
			}
			hs = append(hs, h)
		}
		parts = append(parts, specs[k].title+"："+strings.Join(hs, "、"))
	}
	return strings.Join(parts, "；或 ")
}

func readCSVTable(ro *Roster, data []byte, enc string) (table, bool) {
	bom := 0
	if enc == pipelines.EncAuto {
		enc, bom = pipelines.DetectEncoding(data)
	} else if enc == pipelines.EncUTF8 && bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		bom = 3
	}
	ro.Encoding = enc
	text, err := pipelines.DecodeBytes(data[bom:], enc)
	if err != nil {
		ro.report(pipelines.Problem{Severity: pipelines.SeverityError, Key: "bad_encoding", Message: "文件无法按 " + enc + " 解码: " + err.Error(),
			Expected: "UTF-8、GBK 或 GB18030 文本", Hint: "用 --encoding 指定编码"})
		return table{}, false
	}
	cr := csv.NewReader(bytes.NewReader(text))
	cr.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			ro.report(pipelines.Problem{Severity: pipelines.SeverityError, Key: "bad_csv", Row: line, Message: "CSV 格式错误: " + err.Error(),
				Hint: "检查该行的引号与逗号"})
			return table{}, false
		}
		rows = append(rows, rec)
	}
	if len(rows) == 0 {
		ro.report(pipelines.Problem{Severity: pipelines.SeverityError, Key: "empty_file", Message: "文件为空", Expected: expectedHeaders("")})
		return table{}, false
	}
	return table{rows: rows, isDate: func(int, int) bool { return false }}, true
}

type regionResult struct {
	r   innowatch.Region
	err error
}

// reader carries the state of one file across its sheets.
type reader struct {
	ro      *Roster
	cat     *innowatch.Catalog
	opt     Options
	regions map[string]regionResult
	// seen maps a duplicate key to the index of the row that had it first.
	seen map[string]int
	// names maps a USCC to the first name it was seen with, for a warning.
	names map[string]string
}

// header finds the header row and the kind among the first ten rows.
func (rd *reader) header(t table) (row int, kind Kind, col map[string]int, probs []pipelines.Problem) {
	kinds := Kinds
	if rd.opt.Kind != "" {
		kinds = []Kind{rd.opt.Kind}
	}
	bestRow, bestKind, bestN := -1, Kind(""), 1
	var bestCol map[string]int
	for r := 0; r < len(t.rows) && r < 10; r++ {
		if rd.opt.Mapping != nil && rd.opt.Mapping.HeaderRow > 0 && r != rd.opt.Mapping.HeaderRow-1 {
			continue
		}
		for _, k := range kinds {
			c, n := rd.matchHeader(t.rows[r], k)
			if n > bestN {
				bestRow, bestKind, bestN, bestCol = r, k, n, c
			}
		}
	}
	if bestRow < 0 {
		return -1, "", nil, nil
	}
	var missing []string
	for _, c := range specs[bestKind].cols {
		if _, ok := bestCol[c.key]; !ok && !c.optional {
			missing = append(missing, c.header)
		}
	}
	if len(missing) > 0 {
		probs = append(probs, pipelines.Problem{Severity: pipelines.SeverityError, Key: "missing_column", Sheet: t.name, Row: bestRow + 1,
			Message: specs[bestKind].title + "缺少列: " + strings.Join(missing, "、"), Expected: expectedHeaders(bestKind),
			Hint: "列名可用别名（docs/REGISTERS.md）或在模板映射中声明"})
	}
	// Units: an amount column must be in 万元.
	for _, c := range specs[bestKind].cols {
		i, ok := bestCol[c.key]
		if !ok || c.typ != tWan {
			continue
		}
		if _, u := splitUnit(t.rows[bestRow][i]); u != "" && u != "万元" {
			probs = append(probs, pipelines.Problem{Severity: pipelines.SeverityError, Key: "bad_unit", Sheet: t.name, Row: bestRow + 1,
				Column: colName(i, c.header), Value: t.rows[bestRow][i], Message: "金额列的单位应为万元", Expected: c.header + "（万元）",
				Hint: "请换算为万元后再导入"})
		}
	}
	return bestRow, bestKind, bestCol, probs
}

// matchHeader maps a row's cells to the kind's columns; n counts matches.
func (rd *reader) matchHeader(cells []string, k Kind) (map[string]int, int) {
	col := map[string]int{}
	for i, cell := range cells {
		name, _ := splitUnit(cell)
		if name == "" {
			continue
		}
		for _, c := range specs[k].cols {
			if _, done := col[c.key]; done {
				continue
			}
			if headerMatches(name, c, rd.opt.Mapping) {
				col[c.key] = i
				break
			}
		}
	}
	return col, len(col)
}

func headerMatches(name string, c column, m *Mapping) bool {
	if m != nil {
		if h, ok := m.Columns[c.key]; ok {
			hn, _ := splitUnit(h)
			return name == hn
		}
	}
	if hn, _ := splitUnit(c.header); name == hn {
		return true
	}
	for _, a := range c.aliases {
		if an, _ := splitUnit(a); name == an {
			return true
		}
	}
	return false
}

func colName(i int, header string) string { return excel.ColumnName(i) + "（" + header + "）" }

func (rd *reader) readTable(t table) {
	ro := rd.ro
	h, kind, col, probs := rd.header(t)
	if h < 0 {
		return
	}
	if ro.Kind != "" && ro.Kind != kind {
		ro.report(pipelines.Problem{Severity: pipelines.SeverityError, Key: "mixed_rosters", Sheet: t.name, Row: h + 1,
			Message: "一个文件只能是一种名单：前面的工作表是" + ro.Kind.Title() + "，本表是" + kind.Title(),
			Hint:    "把不同名单分别存为文件后导入"})
		return
	}
	ro.Kind = kind
	for _, p := range probs {
		ro.report(p)
	}
	if len(probs) > 0 && ro.HasErrors() {
		return
	}
	cols := specs[kind].cols
	for r := h + 1; r < len(t.rows); r++ {
		cells := t.rows[r]
		if skipRow(cells) {
			continue
		}
		row := Row{Sheet: t.name, Line: r + 1, Values: make([]any, len(cols))}
		ok := true
		for j, c := range cols {
			i, has := col[c.key]
			raw := ""
			if has && i < len(cells) {
				raw = strings.TrimSpace(cells[i])
			}
			v, p := rd.parseCell(c, raw, t.isDate(r, i) && has)
			if p != nil {
				p.Sheet, p.Row, p.Value = t.name, r+1, raw
				if has {
					p.Column = colName(i, c.header)
				} else {
					p.Column = c.header
				}
				ro.report(*p)
				if p.Severity == pipelines.SeverityError {
					ok = false
				}
				continue
			}
			row.Values[j] = v
		}
		if !ok {
			continue
		}
		rd.rowChecks(kind, col, &row)
		ro.Rows = append(ro.Rows, row)
	}
}

// skipRow is true for empty rows and footnotes (注：…, 填表人…).
func skipRow(cells []string) bool {
	n, first := 0, ""
	for _, c := range cells {
		if s := strings.TrimSpace(c); s != "" {
			if n == 0 {
				first = s
			}
			n++
		}
	}
	if n == 0 {
		return true
	}
	if n == 1 {
		for _, p := range []string{"注", "备注", "说明", "数据来源", "填表", "填报", "审核", "制表", "合计", "总计"} {
			if strings.HasPrefix(first, p) {
				return true
			}
		}
	}
	return false
}

func bad(key, msg, expected, hint string) *pipelines.Problem {
	return &pipelines.Problem{Severity: pipelines.SeverityError, Key: key, Message: msg, Expected: expected, Hint: hint}
}

func warn(key, msg, hint string) *pipelines.Problem {
	return &pipelines.Problem{Severity: pipelines.SeverityWarning, Key: key, Message: msg, Hint: hint}
}

// parseCell validates one cell.
func (rd *reader) parseCell(c column, raw string, dateCell bool) (any, *pipelines.Problem) {
	if raw == "" || (c.typ != tText && innowatch.IsMissingMarker(raw)) {
		if c.optional {
			return nil, nil
		}
		return nil, bad("required_value", c.header+"不能为空", c.header, "缺数不能当作0：请补齐后再导入")
	}
	switch c.typ {
	case tText:
		return raw, nil
	case tUSCC:
		u := normUSCC(raw)
		if key, msg := usccFault(u); key != "" {
			return nil, bad(key, msg, "18位统一社会信用代码（GB 32100-2015）", "核对营业执照上的代码")
		}
		return u, nil
	case tRegion:
		res, ok := rd.regions[raw]
		if !ok {
			res.r, res.err = rd.region(raw)
			rd.regions[raw] = res
		}
		if res.err != nil {
			return nil, bad("unknown_region", res.err.Error(), "县级单位的区划代码或名称（兰山区、371302…）", innowatch.HintOf(res.err))
		}
		return res.r.Code, nil
	case tDate:
		d, err := parseDate(raw, dateCell)
		if err != nil {
			return nil, bad("bad_date", c.header+"不是有效日期", "2020-12-05、2020/12/5 或 2020年12月5日", "")
		}
		return d, nil
	case tCertNo:
		n := strings.ToUpper(normUSCC(raw))
		if !certNoOK(n) {
			return nil, bad("bad_cert_no", "证书编号格式错误", "GR + 4位年份 + 2位省份代码 + 序号，如 GR202037001234", "")
		}
		if _, err := rd.cat.Region(n[6:8] + "0000"); err != nil {
			return nil, bad("bad_cert_no", "证书编号中的省份代码“"+n[6:8]+"”不存在", "GRyyyy + 省份代码（山东 37）+ 序号", "")
		}
		return n, nil
	case tWan, tCount, tYear:
		v, err := pipelines.ParseNumber(raw)
		if err != nil || v.Percent || math.IsNaN(v.V) || math.IsInf(v.V, 0) {
			return nil, bad("bad_number", c.header+"不是数字", "数字（金额以万元计）", "")
		}
		if v.V < 0 {
			return nil, bad("negative", c.header+"不能为负数", "≥ 0", "")
		}
		if c.typ == tWan {
			return v.V, nil
		}
		if v.V != math.Trunc(v.V) || v.V > math.MaxInt32 {
			return nil, bad("not_integer", c.header+"应为整数", "整数", "")
		}
		if c.typ == tYear && (v.V < 2000 || v.V > 2100) {
			return nil, bad("bad_year", c.header+"不是有效年度", "2000–2100 的年份，如 2020", "")
		}
		return int32(v.V), nil
	case tPlatType:
		t, ok := platformType(raw)
		if !ok {
			return nil, bad("unknown_platform_type", "未知的平台类型", platformTypeNames(), "新的平台类型请联系维护人员加入 pipelines/registers/kind.go")
		}
		return t.Key, nil
	case tLevel:
		l, ok := levels[normLabel(raw)]
		if !ok {
			return nil, bad("unknown_level", "未知的平台级别", "国家级、省级或市级", "")
		}
		return l, nil
	}
	return raw, nil
}

func (rd *reader) region(raw string) (innowatch.Region, error) {
	var r innowatch.Region
	var err error
	if isDigits(raw) && len(raw) == 6 {
		r, err = rd.cat.Region(raw)
	} else {
		r, err = rd.cat.RegionByName(raw)
	}
	if err != nil {
		return r, err
	}
	if r.Level != innowatch.LevelCounty && r.Level != innowatch.LevelZone {
		return r, &innowatch.Error{Msg: fmt.Sprintf("%s（%s）不是县级单位", r.Name, r.Code),
			Hint: "所在县区应为县、区或功能区（如 兰山区、临沂高新区）；市直单位请写其所在县区"}
	}
	return r, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// certNoOK checks the shape GR + yyyy + pp + 3–6 digits.
func certNoOK(n string) bool {
	if len(n) < 11 || len(n) > 14 || !strings.HasPrefix(n, "GR") {
		return false
	}
	return isDigits(n[2:])
}

var dateLayouts = []string{"2006-01-02", "2006-1-2", "2006/01/02", "2006/1/2", "2006.01.02", "2006.1.2",
	"2006年1月2日", "2006年01月02日", "20060102", "2006-01-02 15:04:05", "2006/1/2 15:04:05", "2006-01-02T15:04:05Z"}

// parseDate reads the date spellings of the bureau's files; an XLSX date
// cell holds an Excel serial.
func parseDate(s string, serial bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if serial || (isExcelSerial(s)) {
		if v, err := strconv.ParseFloat(s, 64); err == nil && len(s) != 8 {
			t, err := excelize.ExcelDateToTime(v, false)
			if err == nil {
				t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
				return checkYear(t)
			}
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return checkYear(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}

// isExcelSerial: a CSV saved from Excel may carry date serials (43804).
func isExcelSerial(s string) bool {
	if len(s) < 4 || len(s) > 5 {
		return false
	}
	return isDigits(s)
}

func checkYear(t time.Time) (time.Time, error) {
	if t.Year() < 1949 || t.Year() > 2100 {
		return t, fmt.Errorf("year %d out of range", t.Year())
	}
	return t, nil
}

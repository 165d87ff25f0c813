package pipelines

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
)

// Tests for issue 13 (trustworthy ingest): each builds the workbook a county
// office would send, in the test, and checks what loads or what is refused.

// sheetSpec is a worksheet: rows of cells (a string, a number, or a cell
// built by a func), merged ranges and per-cell styles.
type sheetSpec struct {
	name   string
	rows   [][]any
	merges [][2]string
	style  map[string]excelize.Style // cell → style
}

// formula is a cell holding a formula saved without its result.
type formula string

// xlsxBytes writes sheets into a workbook the way excelize saves one.
func xlsxBytes(t testing.TB, sheets ...sheetSpec) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				axis, _ := excelize.CoordinatesToCellName(c+1, r+1)
				var err error
				switch x := v.(type) {
				case formula:
					err = f.SetCellFormula(sh.name, axis, string(x))
				case bool:
					err = f.SetCellBool(sh.name, axis, x)
				default:
					err = f.SetCellValue(sh.name, axis, x)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, m := range sh.merges {
			if err := f.MergeCell(sh.name, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
		for axis, st := range sh.style {
			st := st
			id, err := f.NewStyle(&st)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(sh.name, axis, axis, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// factValues maps region|period|indicator to the value read (NaN = missing).
func factValues(b *Batch) map[string]float64 {
	out := map[string]float64{}
	for _, f := range b.Facts() {
		v := f.Value
		if f.Missing {
			v = math.NaN()
		}
		out[f.Key()] = v
	}
	return out
}

// firstError is "key row column" of the first error, "" when none.
func firstError(b *Batch) string {
	errs := b.Problems.Errors()
	if len(errs) == 0 {
		return ""
	}
	return fmt.Sprintf("%s %d %s", errs[0].Key, errs[0].Row, errs[0].Column)
}

const annualTitle = "2020年各县区R&D经费投入情况"

// TestWideUnits reproduces item 1: a unit alone on a lower header line was
// ignored (100000 万元 loaded as 100000 亿元), a sheet-level 单位 line beat
// the header's own unit (0.5 亿元 loaded as 0.00005), two units for a column
// were not noticed, and a column without any unit took the catalog's.
func TestWideUnits(t *testing.T) {
	tests := []struct {
		name      string
		rows      [][]any
		want      map[string]float64 // checked facts
		wantError string             // first error "key row column"
	}{
		{
			name: "bare unit on the lower header line",
			rows: [][]any{{annualTitle}, {"县区", "研发经费", "地区生产总值（亿元）"}, {nil, "万元"}, {"兰山区", 100000, 500}},
			want: map[string]float64{"371302|2020|rd_expenditure": 10, "371302|2020|gdp": 500},
		},
		{
			name: "header unit beats the sheet's unit line",
			rows: [][]any{{annualTitle}, {"单位：万元"}, {"县区", "研发经费", "地区生产总值"}, {nil, "亿元", "亿元"}, {"兰山区", 0.5, 480}},
			want: map[string]float64{"371302|2020|rd_expenditure": 0.5, "371302|2020|gdp": 480},
		},
		{
			name: "unit line applies when the header names none",
			rows: [][]any{{annualTitle}, {"单位：万元"}, {"县区", "研发经费"}, {"兰山区", 5700}},
			want: map[string]float64{"371302|2020|rd_expenditure": 0.57},
		},
		{
			name: "unit at the end of the title",
			rows: [][]any{{"2020年各县区R&D经费投入情况（单位：万元）"}, {"县区", "研发经费"}, {"兰山区", 25000}},
			want: map[string]float64{"371302|2020|rd_expenditure": 2.5},
		},
		{
			name: "unit run into the name",
			rows: [][]any{{annualTitle}, {"县区", "研发经费万元"}, {"兰山区", 25000}},
			want: map[string]float64{"371302|2020|rd_expenditure": 2.5},
		},
		{
			name:      "two units for one column",
			rows:      [][]any{{annualTitle}, {"县区", "研发经费（万元）"}, {nil, "亿元"}, {"兰山区", 100000}},
			wantError: "unit_conflict 2 B",
		},
		{
			name:      "no unit anywhere for an amount",
			rows:      [][]any{{annualTitle}, {"县区", "研发经费", "地区生产总值（亿元）"}, {"兰山区", 100000, 500}},
			wantError: "unknown_unit 2 B",
		},
		{
			name: "a count and a share need no unit",
			rows: [][]any{{"2020年1-10月各县区科技创新主要指标"}, {"县区", "高新技术企业数", "高新技术产业产值占比"}, {"兰山区", 120, 40.5}},
			want: map[string]float64{"371302|2020-10|hitech_enterprises": 120, "371302|2020-10|hitech_output_share": 40.5},
		},
		{
			name:      "a unit the indicator does not accept",
			rows:      [][]any{{annualTitle}, {"县区", "研发经费"}, {nil, "家"}, {"兰山区", 1}},
			wantError: "unknown_unit 2 B",
		},
	}
	cat := testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := xlsxBytes(t, sheetSpec{name: "Sheet1", rows: tt.rows})
			b := ParseWith(context.Background(), File{Name: "units.xlsx", Data: data}, cat, ReadOptions{})
			if got := firstError(b); got != tt.wantError {
				t.Fatalf("first error %q, want %q (all: %v)", got, tt.wantError, b.Problems)
			}
			got := factValues(b)
			for k, want := range tt.want {
				if g, ok := got[k]; !ok || g != want {
					t.Errorf("%s = %v (present %v), want %v exactly", k, g, ok, want)
				}
			}
		})
	}
}

// TestWideCellKinds reproduces items 2, 3 and 4 in a wide sheet: a share
// typed into a percent-formatted cell (0.1 shown as 10.00%) loaded as 0.1; a
// formula saved without its result loaded as NULL "未报送"; TRUE, 1e300 and a
// fractional count loaded.
func TestWideCellKinds(t *testing.T) {
	title := "2020年1-10月各县区科技创新主要指标"
	header := []any{"县区", "高新技术企业数（家）", "高新技术产业产值占比（%）", "技术合同成交额（万元）"}
	pct := map[string]excelize.Style{"C3": {NumFmt: 10}}
	tests := []struct {
		name      string
		row       []any
		style     map[string]excelize.Style
		want      map[string]float64
		wantError string
		wantMsg   string
	}{
		{name: "percent-formatted shares", row: []any{"兰山区", 120, 0.1}, style: pct,
			want: map[string]float64{"371302|2020-10|hitech_output_share": 10}},
		{name: "percent format in an amount column", row: []any{"兰山区", 120, 40, 0.5},
			style: map[string]excelize.Style{"D3": {NumFmt: 10}}, wantError: "bad_number 3 D"},
		{name: "formula without a cached value", row: []any{"兰山区", formula("B4+1"), 40}, wantError: "formula_no_value 3 B",
			wantMsg: "公式没有计算结果，请在 Excel/WPS 中打开并保存后再报送"},
		{name: "TRUE in a number column", row: []any{"兰山区", true, 40}, wantError: "bad_number 3 B"},
		{name: "1e300", row: []any{"兰山区", 120, 40, 1e300}, wantError: "out_of_range 3 D"},
		{name: "negative count", row: []any{"兰山区", -5, 40}, wantError: "out_of_range 3 B"},
		{name: "fractional count", row: []any{"兰山区", 591.22, 40}, wantError: "bad_number 3 B"},
		{name: "converted amount keeps its decimals", row: []any{"兰山区", 120, 40, 5700},
			want: map[string]float64{"371302|2020-10|tech_contract_turnover": 0.57}},
	}
	cat := testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := [][]any{{title}, header, tt.row, {"罗庄区", 80, 30, 100}}
			data := xlsxBytes(t, sheetSpec{name: "月报", rows: rows, style: tt.style})
			b := ParseWith(context.Background(), File{Name: "kinds.xlsx", Data: data}, cat, ReadOptions{})
			if got := firstError(b); got != tt.wantError {
				t.Fatalf("first error %q, want %q (all: %v)", got, tt.wantError, b.Problems)
			}
			if tt.wantMsg != "" && b.Problems.Errors()[0].Message != tt.wantMsg {
				t.Errorf("message %q, want %q", b.Problems.Errors()[0].Message, tt.wantMsg)
			}
			got := factValues(b)
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s = %v, want %v exactly", k, got[k], want)
				}
			}
		})
	}
}

// TestLongSheetCellKinds: the same cell kinds in a long-layout sheet.
func TestLongSheetCellKinds(t *testing.T) {
	header := []any{"region_code", "period", "indicator", "value", "unit"}
	tests := []struct {
		name      string
		row       []any
		style     map[string]excelize.Style
		want      map[string]float64
		wantError string
	}{
		{name: "percent-formatted share", row: []any{"371302", "2020-10", "hitech_output_share", 0.455},
			style: map[string]excelize.Style{"D2": {NumFmt: 10}}, want: map[string]float64{"371302|2020-10|hitech_output_share": 45.5}},
		{name: "formula without value", row: []any{"371302", "2020-10", "hitech_enterprises", formula("1+1")}, wantError: "formula_no_value 2 D（value）"},
		{name: "FALSE", row: []any{"371302", "2020-10", "hitech_enterprises", false}, wantError: "bad_number 2 D（value）"},
		{name: "1e300 元", row: []any{"371302", "2020", "rd_expenditure", 1e300, "元"}, wantError: "out_of_range 2 D（value）"},
		{name: "fractional count", row: []any{"371302", "2020-10", "tech_smes", 591.22}, wantError: "bad_number 2 D（value）"},
		{name: "万元 converted exactly", row: []any{"371302", "2020", "rd_expenditure", 5700, "万元"},
			want: map[string]float64{"371302|2020|rd_expenditure": 0.57}},
	}
	cat := testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := xlsxBytes(t, sheetSpec{name: "data", rows: [][]any{header, tt.row}, style: tt.style})
			b := ParseWith(context.Background(), File{Name: "long.xlsx", Data: data}, cat, ReadOptions{})
			if got := firstError(b); got != tt.wantError {
				t.Fatalf("first error %q, want %q (all: %v)", got, tt.wantError, b.Problems)
			}
			got := factValues(b)
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s = %v, want %v exactly", k, got[k], want)
				}
			}
		})
	}
}

// TestLongCSVValues: the CSV reader refuses the same values (items 4, 16).
func TestLongCSVValues(t *testing.T) {
	tests := []struct {
		name, row string
		want      float64
		wantError string
	}{
		{"TRUE", "371302,2020-10,hitech_enterprises,TRUE,", 0, "bad_number 2 value"},
		{"1e300", "371302,2020,gdp,1e300,", 0, "out_of_range 2 value"},
		{"negative count", "371302,2020-10,platforms,-3,", 0, "out_of_range 2 value"},
		{"fractional count", "371302,2020-10,hitech_enterprises,591.22,家", 0, "bad_number 2 value"},
		{"decimal kept", "371302,2020,rd_expenditure,5700,万元", 0.57, ""},
		{"decimal kept with fraction", "371302,2020,rd_expenditure,1234.5,万元", 0.12345, ""},
		{"千万元", "371302,2020,rd_expenditure,3.3,千万元", 0.33, ""},
	}
	cat := testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := "region_code,period,indicator,value,unit\n" + tt.row + "\n"
			b := ReadCSV("v.csv", []byte(data), cat)
			if got := firstError(b); got != tt.wantError {
				t.Fatalf("first error %q, want %q (all: %v)", got, tt.wantError, b.Problems)
			}
			if tt.wantError == "" {
				f := b.Fact(0)
				if f.Value != tt.want {
					t.Errorf("value %v, want %v exactly", f.Value, tt.want)
				}
			}
		})
	}
}

func TestShiftDecimal(t *testing.T) {
	for _, tt := range []struct {
		in   string
		k    int
		want string
	}{
		{"0.1", 2, "10"}, {"0.0575", 2, "5.75"}, {"0.57000000000000006", 2, "57"}, {"0.56999999999999995", 2, "57"}, {"-0.3", 2, "-30"},
		{"12", 2, "1200"}, {"1.5e-3", 2, "0.15"}, {"0", 2, "0"}, {"abc", 2, "abc"},
	} {
		if got := shiftDecimal(tt.in, tt.k); got != tt.want {
			t.Errorf("shiftDecimal(%q, %d) = %q, want %q", tt.in, tt.k, got, tt.want)
		}
	}
	if !strings.HasPrefix(shiftDecimal("0.07", 2), "7") || shiftDecimal("0.07", 2) != "7" {
		t.Errorf("0.07 shifted: %q", shiftDecimal("0.07", 2))
	}
}

// TestWideLayouts reproduces item 10: Excel date cells as period headers
// were not recognised ("row 4 duplicates row 4"), and an amount and its 同比
// under one merged indicator header — the most common monthly layout — was
// refused.
func TestWideLayouts(t *testing.T) {
	cat := testCatalog(t)
	dateStyle := excelize.Style{NumFmt: 14}
	tests := []struct {
		name string
		spec sheetSpec
		want map[string]float64
		n    int
	}{
		{name: "date cells as period headers", n: 4,
			spec: sheetSpec{name: "高企", rows: [][]any{
				{"各县区高新技术企业数"},
				{"县区", "高新技术企业数（家）"},
				{nil, excelSerial(2019, 12, 31), excelSerial(2020, 10, 31)},
				{"兰山区", 110, 120}, {"罗庄区", 55, 60}},
				merges: [][2]string{{"A2", "A3"}, {"B2", "C2"}},
				style:  map[string]excelize.Style{"B3": dateStyle, "C3": dateStyle}},
			want: map[string]float64{"371302|2019-12|hitech_enterprises": 110, "371302|2020-10|hitech_enterprises": 120,
				"371311|2019-12|hitech_enterprises": 55}},
		{name: "amount and 同比 under one merged header", n: 4,
			spec: sheetSpec{name: "月报", rows: [][]any{
				{"2020年1-10月各县区科技创新主要指标"},
				{"县区", "高新技术产业产值", nil, "技术合同成交额"},
				{nil, "金额（亿元）", "同比(%)", "金额（万元）", "增长%"},
				{"兰山区", 120, 12.5, 52000, 8.1}, {"罗庄区", 85, -3.2, 30000, 15}},
				merges: [][2]string{{"A2", "A3"}, {"B2", "C2"}, {"D2", "E2"}}},
			want: map[string]float64{"371302|2020-10|hitech_output": 120, "371302|2020-10|tech_contract_turnover": 5.2,
				"371311|2020-10|tech_contract_turnover": 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ParseWith(context.Background(), File{Name: "layout.xlsx", Data: xlsxBytes(t, tt.spec)}, cat, ReadOptions{})
			if errs := b.Problems.Errors(); len(errs) > 0 {
				t.Fatalf("refused: %v", errs)
			}
			if b.Len() != tt.n {
				t.Errorf("%d facts, want %d: %v", b.Len(), tt.n, b.Facts())
			}
			got := factValues(b)
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s = %v, want %v", k, got[k], want)
				}
			}
		})
	}
}

// excelSerial is the Excel date serial of a day (1900 date system).
func excelSerial(y, m, d int) float64 {
	return float64(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// TestTextFileShapes reproduces items 9 and 14 for text files: Excel's
// "Unicode 文本" export (UTF-16 with a BOM, tab-separated) was refused as
// "not text"; a header-only CSV and an empty JSON array were recorded as
// loads; a key twice in a JSON record was silently the last; a
// semicolon-separated CSV got no hint; Excel's trailing empty columns
// refused the file.
func TestTextFileShapes(t *testing.T) {
	utf16 := func(s string) []byte {
		enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
		out, err := enc.Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	tests := []struct {
		name      string
		file      string
		data      []byte
		wantError string
		want      map[string]float64
	}{
		{name: "UTF-16 tab-separated", file: "unicode.txt",
			data: utf16("区划代码\t期别\t指标\t数值\t单位\r\n371302\t2020年1-10月\t高新技术企业数\t120\t家\r\n371311\t2020-10\t技术合同成交额\t\"52,000\"\t万元\r\n"),
			want: map[string]float64{"371302|2020-10|hitech_enterprises": 120, "371311|2020-10|tech_contract_turnover": 5.2}},
		{name: "header only", file: "header.csv", data: []byte("region_code,period,indicator,value\n"), wantError: "empty_file 0 "},
		{name: "empty JSON array", file: "empty.json", data: []byte("[]\n"), wantError: "empty_file 0 "},
		{name: "a JSON key twice", file: "dup.json",
			data:      []byte(`[{"region_code": "371302", "period": "2020-10", "indicator": "hitech_enterprises", "value": 120, "value": 210}]`),
			wantError: "duplicate_column 1 value"},
		{name: "semicolons", file: "semi.csv", data: []byte("region_code;period;indicator;value\n371302;2020-10;hitech_enterprises;120\n"),
			wantError: "wrong_delimiter 1 "},
		{name: "trailing empty columns", file: "trailing.csv",
			data: []byte("region_code,period,indicator,value,,\n371302,2020-10,hitech_enterprises,120,,\n"),
			want: map[string]float64{"371302|2020-10|hitech_enterprises": 120}},
		{name: "former county name", file: "old.csv",
			data: []byte("region_code,period,indicator,value\n苍山县,2013,rd_expenditure,3.5\n"),
			want: map[string]float64{"371324|2013|rd_expenditure": 3.5}},
	}
	cat := testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ParseWith(context.Background(), File{Name: tt.file, Data: tt.data}, cat, ReadOptions{})
			if got := firstError(b); got != tt.wantError {
				t.Fatalf("first error %q, want %q (all: %v)", got, tt.wantError, b.Problems)
			}
			got := factValues(b)
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s = %v, want %v (facts %v)", k, got[k], want, b.Facts())
				}
			}
		})
	}
}

// TestFormerCountyName reproduces item 11: 苍山县 (兰陵县 since 2014) in a
// county's wide sheet is read as 371324 with a warning that says so.
func TestFormerCountyName(t *testing.T) {
	data := xlsxBytes(t, sheetSpec{name: "Sheet1", rows: [][]any{{"2013年各县区R&D经费投入情况"},
		{"县区", "R&D经费内部支出（万元）"}, {"苍山县", 35000}, {"兰山区", 250000}}})
	b := ParseWith(context.Background(), File{Name: "old.xlsx", Data: data}, testCatalog(t), ReadOptions{})
	if errs := b.Problems.Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := factValues(b)["371324|2013|rd_expenditure"]; got != 3.5 {
		t.Errorf("兰陵县 2013 = %v, want 3.5", got)
	}
	w := b.Problems.Warnings()
	if len(w) != 1 || w[0].Key != "former_region_name" || w[0].Row != 3 || !strings.Contains(w[0].Message, "兰陵县") {
		t.Errorf("warnings %v, want one former_region_name on row 3", w)
	}
}

// TestDuplicateRowMessage (item 14): a duplicate names both rows and the key
// columns.
func TestDuplicateRowMessage(t *testing.T) {
	b := ReadCSV("dup.csv", []byte("region_code,period,indicator,value\n371302,2020-10,hitech_enterprises,120\n"+
		"371311,2020-10,hitech_enterprises,60\n371302,2020-10,hitech_enterprises,121\n"), testCatalog(t))
	errs := b.Problems.Errors()
	if len(errs) != 1 || errs[0].Row != 4 || !strings.Contains(errs[0].Message, "第4行与第2行") || !strings.Contains(errs[0].Message, "region_code、period、indicator") {
		t.Errorf("got %v", errs)
	}
}

// TestOfficeSuiteFiles (items 11, 12): a workbook saved by LibreOffice gives
// the same facts as the one excelize wrote; the Excel 97–2003 .xls it saved
// is refused with a one-line conversion hint (no Go BIFF reader was good
// enough, docs/INGEST.md); a password-protected workbook is named as such.
func TestOfficeSuiteFiles(t *testing.T) {
	cat := testCatalog(t)
	ctx := context.Background()
	orig := ParseWith(ctx, File{Name: "a.xlsx", Path: "testdata/good/wide_county_monthly.xlsx"}, cat, ReadOptions{})
	lo := ParseWith(ctx, File{Name: "a.xlsx", Path: "testdata/office/wide_county_monthly_libreoffice.xlsx"}, cat, ReadOptions{})
	if errs := lo.Problems.Errors(); len(errs) > 0 {
		t.Fatalf("LibreOffice workbook refused: %v", errs)
	}
	got, want := factValues(lo), factValues(orig)
	if len(got) != len(want) || len(want) == 0 {
		t.Errorf("%d facts from LibreOffice's file, %d from the original", len(got), len(want))
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v && !(math.IsNaN(g) && math.IsNaN(v)) {
			t.Errorf("%s = %v, want %v", k, g, v)
		}
	}
	xls := ParseWith(ctx, File{Name: "county.xls", Path: "testdata/office/wide_county_monthly.xls"}, cat, ReadOptions{})
	errs := xls.Problems.Errors()
	if len(errs) != 1 || errs[0].Key != "unknown_format" || !strings.Contains(errs[0].Hint, "soffice --headless --convert-to xlsx") {
		t.Errorf(".xls: %v", errs)
	}
	// An .xls renamed .xlsx is named as an old workbook, not "damaged".
	data, err := os.ReadFile("testdata/office/wide_county_monthly.xls")
	if err != nil {
		t.Fatal(err)
	}
	renamed := ParseWith(ctx, File{Name: "county.xlsx", Data: data}, cat, ReadOptions{})
	if e := renamed.Problems.Errors(); len(e) != 1 || e[0].Key != "wrong_format" || !strings.Contains(e[0].Hint, "另存为 .xlsx") {
		t.Errorf("renamed .xls: %v", e)
	}
	// A password-protected OOXML workbook is an OLE compound file holding
	// EncryptionInfo and EncryptedPackage streams (MS-OFFCRYPTO); only its
	// signature and stream names matter here. (No tool on this machine could
	// write a real one: LibreOffice's headless convert ignores passwords.)
	enc := append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 504)...)
	for _, name := range []string{"EncryptionInfo", "EncryptedPackage"} {
		for _, r := range name {
			enc = append(enc, byte(r), 0)
		}
		enc = append(enc, make([]byte, 64)...)
	}
	e := ParseWith(ctx, File{Name: "secret.xlsx", Data: enc}, cat, ReadOptions{}).Problems.Errors()
	if len(e) != 1 || e[0].Key != "encrypted" {
		t.Errorf("encrypted workbook: %v", e)
	}
}

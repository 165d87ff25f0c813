package pipelines

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch"
)

// want is an expected fact: a value in the catalog unit, or missing with a
// reason; Row and Sheet are checked when set.
type want struct {
	key    string // region|period|indicator
	value  float64
	reason string // non-empty: missing with this reason
	status innowatch.Status
	sheet  string
	row    int
}

func parseGood(t *testing.T, name string, opt ReadOptions) *Batch {
	t.Helper()
	b := ParseWith(context.Background(), File{Name: name, Path: filepath.Join("testdata/good", name)}, testCatalog(t), opt)
	if errs := b.Problems.Errors(); len(errs) > 0 {
		t.Fatalf("%s refused: %v", name, errs)
	}
	return b
}

func expectFacts(t *testing.T, b *Batch, n int, wants []want) {
	t.Helper()
	if b.Len() != n {
		t.Errorf("%s: %d facts, want %d", b.File, b.Len(), n)
	}
	got := map[string]innowatch.Fact{}
	for _, f := range b.Facts() {
		got[f.Key()] = f
	}
	for _, w := range wants {
		f, ok := got[w.key]
		if !ok {
			t.Errorf("%s: no fact %s", b.File, w.key)
			continue
		}
		switch {
		case w.reason != "" && (!f.Missing || f.MissingReason != w.reason):
			t.Errorf("%s: %s = %+v, want missing (%s)", b.File, w.key, f, w.reason)
		case w.reason == "" && (f.Missing || math.Abs(f.Value-w.value) > 1e-9):
			t.Errorf("%s: %s = %v (missing %v), want %v", b.File, w.key, f.Value, f.Missing, w.value)
		}
		if w.status != "" && f.Status != w.status {
			t.Errorf("%s: %s status %s, want %s", b.File, w.key, f.Status, w.status)
		}
		if w.row != 0 && (f.Row != w.row || f.Sheet != w.sheet) {
			t.Errorf("%s: %s read from [%s] row %d, want [%s] row %d", b.File, w.key, f.Sheet, f.Row, w.sheet, w.row)
		}
	}
}

// TestLongCSVEncodings: the same long file in UTF-8, UTF-8 with BOM, GBK and
// GB18030 gives the same facts, in catalog units.
func TestLongCSVEncodings(t *testing.T) {
	wants := []want{
		{key: "371302|2019|rd_expenditure", value: 25, status: innowatch.StatusFinal, row: 2},          // 250000 万元
		{key: "371311|2019|rd_expenditure", value: 12, status: innowatch.StatusFinal, row: 4},          // "120,000" 万元
		{key: "371302|2020-10|hitech_output", value: 120, status: innowatch.StatusProvisional},         // 2020年1-10月, 1200000 万元
		{key: "371302|2020-09|hitech_output", value: 108},                                              //
		{key: "371302|2020-10|hitech_enterprises", value: 120},                                         // 2020M10, full-width digits
		{key: "371302|2020-10|hitech_output_share", value: 40},                                         // "40%"
		{key: "371328|2020-10|tech_contract_turnover", reason: "县里未报送"},                                // "—" with a note
		{key: "371371|2020-10|platforms", reason: "未报送（空）"},                                            // "空"
		{key: "371300|2020-12|hitech_enterprises", value: 630, status: innowatch.StatusFinal, row: 12}, // a year of a monthly stock is its December
	}
	var first []innowatch.Fact
	for _, tt := range []struct{ file, enc string }{
		{"long_utf8.csv", EncUTF8}, {"long_utf8_bom.csv", EncUTF8}, {"long_gbk.csv", EncGB18030}, {"long_gb18030.csv", EncGB18030},
	} {
		b := parseGood(t, tt.file, ReadOptions{})
		if b.Encoding != tt.enc || b.Format != "long_csv" {
			t.Errorf("%s: encoding %s, format %s; want %s, long_csv", tt.file, b.Encoding, b.Format, tt.enc)
		}
		expectFacts(t, b, 11, wants)
		if first == nil {
			first = b.Facts()
		} else if diff := cmp.Diff(first, b.Facts()); diff != "" {
			t.Errorf("%s differs from long_utf8.csv (-utf8 +this):\n%s", tt.file, diff)
		}
	}
	// Forcing the wrong encoding on a GBK file: its Chinese becomes garbage
	// and the rows that need it are refused, precisely.
	b := ParseWith(context.Background(), File{Name: "long_gbk.csv", Path: "testdata/good/long_gbk.csv"}, testCatalog(t), ReadOptions{Encoding: EncUTF8})
	if errs := b.Problems.Errors(); len(errs) == 0 || errs[0].Key != "bad_encoding" || errs[0].Row != 2 {
		t.Errorf("GBK read as UTF-8: first error %v, want bad_encoding on row 2", errs)
	}
	b = parseGood(t, "long_chinese_header.csv", ReadOptions{})
	expectFacts(t, b, 2, []want{{key: "371302|2020-10|hitech_enterprises", value: 120}, {key: "371311|2020-10|hitech_enterprises", value: 60}})
}

// TestWideCountyMonthly reads the county template: title period, two-line
// merged header, units in headers, thousands separators and full-width
// digits, a short name, a zone, the 全市 total (checked, not loaded),
// footnotes, a second sheet dated by its name and a text sheet.
func TestWideCountyMonthly(t *testing.T) {
	b := parseGood(t, "wide_county_monthly.xlsx", ReadOptions{})
	if len(b.Problems) != 0 {
		t.Errorf("problems: %v", b.Problems)
	}
	// 13 rows (12 counties + 高新区) × 5 indicators, + 3 × 2 on sheet "2020年9月".
	expectFacts(t, b, 71, []want{
		{key: "371302|2020-10|hitech_output", value: 120, sheet: "月报", row: 5},     // "1,200,000" 万元
		{key: "371322|2020-10|hitech_output", value: 38},                           // "３８００００" 万元
		{key: "371302|2020-10|hitech_output_share", value: 40},                     // 1200000 / (300 × 10000) × 100
		{key: "371311|2020-10|hitech_enterprises", value: 60, sheet: "月报", row: 6}, // "罗庄"
		{key: "371328|2020-10|tech_contract_turnover", reason: "未报送（—）"},
		{key: "371329|2020-10|tech_contract_turnover", value: 0.35}, // 3500 万元
		{key: "371371|2020-10|hitech_output", value: 56},            // the zone is loaded
		{key: "371302|2020-09|tech_smes", value: 560, sheet: "2020年9月", row: 3},
		{key: "371312|2020-09|hitech_enterprises", value: 44},
	})
	for _, f := range b.Facts() {
		if f.Region == "371300" {
			t.Errorf("the 全市 total row was loaded as a fact: %+v", f)
		}
	}
	// The total row is kept for the check against the city's own figure:
	// 600 亿元 = the 12 counties' 6,000,000 万元.
	var hitech *Total
	for i := range b.Totals {
		if b.Totals[i].Indicator == "hitech_output" {
			hitech = &b.Totals[i]
		}
	}
	if hitech == nil || hitech.Value != 600 || hitech.Region != "371300" || hitech.Row != 18 || hitech.Column != "C" {
		t.Errorf("hitech_output total = %+v, want 600 for 371300 at row 18, column C", hitech)
	}
	if b.Mapping != "linyi_county_monthly,default" {
		t.Errorf("mapping %q, want linyi_county_monthly,default", b.Mapping)
	}
}

// TestWideCountyAnnual: a code column, the city's own row (loaded) and a
// 合计 row (checked).
func TestWideCountyAnnual(t *testing.T) {
	b := parseGood(t, "wide_county_annual.xlsx", ReadOptions{})
	if len(b.Problems) != 0 {
		t.Errorf("problems: %v", b.Problems)
	}
	expectFacts(t, b, 42, []want{
		{key: "371302|2019|rd_expenditure", value: 25, status: innowatch.StatusFinal, sheet: "2019", row: 3},
		{key: "371302|2019|rd_intensity", value: 2.08}, // 250000 / (1200 × 10000) × 100, rounded in the sheet
		{key: "371300|2019|rd_expenditure", value: 85.2},
		{key: "371300|2019|gdp", value: 5100},
		{key: "371300|2019|rd_intensity", value: 1.67}, // 852000 / 51000000 × 100
	})
}

// TestTotalWarnings: totals that disagree load, with warnings that say by
// how much.
func TestTotalWarnings(t *testing.T) {
	b := parseGood(t, "total_mismatch.xlsx", ReadOptions{})
	ws := b.Problems.Warnings()
	if len(ws) != 1 || ws[0].Key != "total_mismatch" || ws[0].Row != 18 || ws[0].Column != "C" || ws[0].Value != "601" ||
		ws[0].Expected != "600 亿元（12个县区之和，功能区不计入）" {
		t.Errorf("warnings %v, want total_mismatch at C18: 601 against 600", ws)
	}
	b = parseGood(t, "total_mismatch_city.xlsx", ReadOptions{})
	var keys []string
	for _, w := range b.Problems.Warnings() {
		keys = append(keys, w.Key+"@"+w.Column+itoa(w.Row)+"="+w.Value)
	}
	if diff := cmp.Diff([]string{"total_mismatch_city@C17=85.7", "total_mismatch@C17=85.7"}, keys); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestYTDDecreaseWarning(t *testing.T) {
	b := parseGood(t, "ytd_decrease.csv", ReadOptions{})
	ws := b.Problems.Warnings()
	if len(ws) != 1 || ws[0].Key != "ytd_decrease" || ws[0].Row != 4 || ws[0].Value != "104.5" {
		t.Errorf("warnings %v, want ytd_decrease on row 4 (104.5 after 108)", ws)
	}
	if b.Len() != 3 {
		t.Errorf("%d facts, want 3: a warning does not drop the row", b.Len())
	}
}

// TestOtherFormats: the long layout as a wide-less sheet with Excel dates,
// Parquet, Arrow IPC (file with Date32 periods, and stream), JSON, NDJSON,
// and a sheet without a period read with --period.
func TestOtherFormats(t *testing.T) {
	columnar := []want{
		{key: "371302|2020-10|hitech_output", value: 120, row: 1},
		{key: "371311|2020-10|hitech_output", value: 85, row: 2},
		{key: "371312|2020-10|hitech_enterprises", value: 45},
		{key: "371328|2020-10|tech_contract_turnover", reason: "未报送"},
	}
	for _, tt := range []struct {
		file, format string
		n            int
		wants        []want
		opt          ReadOptions
	}{
		{"long_dates.xlsx", "long_xlsx", 3, []want{
			{key: "371302|2020-10|hitech_output", value: 120, sheet: "data", row: 2}, // date cell 44135 = 2020-10-31
			{key: "371311|2020-09|hitech_output", value: 85, sheet: "data", row: 3},  // 44104 = 2020-09-30
			{key: "371312|2020-10|hitech_output", value: 64},
		}, ReadOptions{}},
		{"long.parquet", "long_parquet", 4, columnar, ReadOptions{}},
		{"long.arrow", "long_arrow", 4, columnar, ReadOptions{}},
		{"long_stream.arrows", "long_arrow", 4, columnar, ReadOptions{}},
		{"long.json", "long_json", 4, []want{
			{key: "371302|2020-10|hitech_output", value: 120, row: 2},
			{key: "371311|2020-10|hitech_output", value: 85, row: 3}, // "850,000" 万元
			{key: "371312|2020-10|hitech_enterprises", value: 45},
			{key: "371328|2020-10|tech_contract_turnover", reason: "未报送", row: 5},
		}, ReadOptions{}},
		{"long.ndjson", "long_ndjson", 3, []want{
			{key: "371302|2019|rd_expenditure", value: 25, row: 1},
			{key: "371302|2019|gdp", value: 1200, row: 2},
			{key: "371311|2019|rd_intensity", value: 2, row: 4}, // "2%"
		}, ReadOptions{}},
		{"wide_no_period.xlsx", "wide_xlsx", 2, []want{
			{key: "371302|2020-10|hitech_enterprises", value: 120, sheet: "Sheet1", row: 2},
		}, ReadOptions{Period: &periodOct}},
	} {
		b := parseGood(t, tt.file, tt.opt)
		if b.Format != tt.format {
			t.Errorf("%s: format %s, want %s", tt.file, b.Format, tt.format)
		}
		expectFacts(t, b, tt.n, tt.wants)
	}
}

var periodOct = mustPeriod("2020-10")

// TestMappingFile: a statistician's own mapping, read from YAML, steers a
// template the built-in ones do not know.
func TestMappingFile(t *testing.T) {
	m, err := ParseMapping([]byte(`
name: my_template
match:
  title: ["各县区科技创新主要指标"]
columns:
  - header: 技术交易金额
    indicator: tech_contract_turnover
  - header: 高新技术产业占规上工业比重
    indicator: hitech_output_share
  - column: H
    skip: true
status: final
`), "test")
	if err != nil {
		t.Fatal(err)
	}
	b := ParseWith(context.Background(), File{Name: "wide_unknown_header.xlsx", Path: "testdata/bad/wide_unknown_header.xlsx"},
		testCatalog(t), ReadOptions{Mapping: m})
	if errs := b.Problems.Errors(); len(errs) != 0 {
		t.Fatalf("with the mapping: %v", errs)
	}
	expectFacts(t, b, 65, []want{{key: "371302|2020-10|tech_contract_turnover", value: 5.2, status: innowatch.StatusFinal}})
	if _, err := ParseMapping([]byte("name: x\ncolums: []\n"), "typo.yaml"); err == nil {
		t.Error("a mapping with an unknown key was accepted")
	}
	for _, name := range []string{"default", "linyi_county_monthly", "linyi_county_annual", "shandong_cities"} {
		m, err := LoadMapping(name)
		if err != nil {
			t.Errorf("built-in mapping %s: %v", name, err)
			continue
		}
		if err := m.Validate(testCatalog(t)); err != nil {
			t.Errorf("built-in mapping %s does not fit the catalog: %v", name, err)
		}
	}
}

package pipelines

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/linyi-sti/innowatch"
)

// The parsers must never panic, whatever the bytes. Run one for a while with
//
//	go test ./pipelines -run '^$' -fuzz FuzzReadCSV -fuzztime 30s
//
// Inputs that once failed are kept in testdata/fuzz/<Fuzz…>/ and run with
// every `go test`.

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1,234.5", "１２３．４", "45.6%", "—", "－5", "1e3", "12,34", "", "空", "1 234", "+.5", "-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseNumber(s)
		if err != nil {
			return
		}
		if !v.Missing && (math.IsNaN(v.V) || math.IsInf(v.V, 0)) {
			t.Fatalf("ParseNumber(%q) = %v: not finite", s, v.V)
		}
		if v.Missing && v.V != 0 {
			t.Fatalf("ParseNumber(%q) missing with value %v", s, v.V)
		}
		if !v.Missing {
			// What we print, we read back.
			back, err := ParseNumber(strconv.FormatFloat(v.V, 'f', -1, 64))
			if err != nil || back.V != v.V {
				t.Fatalf("round trip of %v: %v, %v", v.V, back, err)
			}
		}
	})
}

func FuzzParsePeriodText(f *testing.F) {
	for _, s := range []string{"2020", "2020年1-10月", "2020M10", "2020-10-31", "2020年前三季度", "2020/1", "２０２０年", "202013", "2020年3-5月"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriodText(s)
		if err != nil {
			return
		}
		if p.Year < innowatch.MinYear || p.Year > innowatch.MaxYear || p.Month < 0 || p.Month > 12 {
			t.Fatalf("ParsePeriodText(%q) = %+v: out of range", s, p)
		}
		// The canonical spelling reads back the same, by the fast path.
		back, err := ParsePeriodText(p.String())
		if err != nil || back != p {
			t.Fatalf("round trip of %v: %v, %v", p, back, err)
		}
	})
}

func addFixtures(f *testing.F, exts ...string) {
	for _, dir := range []string{"testdata/good", "testdata/bad"} {
		for _, ext := range exts {
			paths, _ := filepath.Glob(filepath.Join(dir, "*"+ext))
			for _, p := range paths {
				data, err := os.ReadFile(p)
				if err == nil {
					f.Add(data)
				}
			}
		}
	}
}

// FuzzReadCSV also checks that parallel parsing changes nothing: one worker,
// three workers on 16-byte blocks and the default must find the same facts
// and problems.
func FuzzReadCSV(f *testing.F) {
	addFixtures(f, ".csv")
	f.Add([]byte("region_code,period,indicator,value\n371302,2020,gdp,\"1,2\"\"3\"\n"))
	// Former names and codes, warned about once whatever the blocks.
	f.Add([]byte("region_code,period,indicator,value\n苍山县,2013,gdp,1\n372823,2012,gdp,1\n苍山县,2012,gdp,1\n130106,2000,gdp,1\n南郊区,1990,gdp,1\n"))
	cat := testCatalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		a := readCSV(ctx, "f.csv", bytes.NewReader(data), cat, ReadOptions{})
		b := readCSV(ctx, "f.csv", bytes.NewReader(data), cat, ReadOptions{Workers: 1})
		c := readCSV(ctx, "f.csv", bytes.NewReader(data), cat, ReadOptions{Workers: 3, blockSize: 16})
		if diff := cmp.Diff(a.Facts(), c.Facts()); diff != "" {
			t.Fatalf("facts differ with 16-byte blocks:\n%s", diff)
		}
		if diff := cmp.Diff(a.Problems, c.Problems); diff != "" {
			t.Fatalf("problems differ with 16-byte blocks:\n%s", diff)
		}
		if a.Hash != HashBytes(data) {
			t.Fatalf("hash %s, want %s", a.Hash, HashBytes(data))
		}
		if diff := cmp.Diff(a.Facts(), b.Facts()); diff != "" {
			t.Fatalf("facts differ between worker counts:\n%s", diff)
		}
		if diff := cmp.Diff(a.Problems, b.Problems); diff != "" {
			t.Fatalf("problems differ between worker counts:\n%s", diff)
		}
		for _, p := range a.Problems {
			if p.File != "f.csv" || p.Key == "" || p.Message == "" {
				t.Fatalf("imprecise problem %+v", p)
			}
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	addFixtures(f, ".xlsx")
	cat := testCatalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		b := readXLSX("f.xlsx", data, cat, ReadOptions{})
		for _, p := range b.Problems {
			if p.File != "f.xlsx" || p.Key == "" || p.Message == "" {
				t.Fatalf("imprecise problem %+v", p)
			}
		}
	})
}

func FuzzReadJSON(f *testing.F) {
	addFixtures(f, ".json", ".ndjson")
	cat := testCatalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		readJSON("f.json", data, cat, ReadOptions{})
	})
}

// FuzzWideCells fuzzes what a county can type into a template rather than
// the zip bytes (which mostly fail at the zip layer): the title, a header,
// a region label and a value of a small wide sheet.
func FuzzWideCells(f *testing.F) {
	f.Add("2020年1-10月各县区科技创新主要指标", "高新技术企业数（家）", "兰山区", "120")
	f.Add("", "R&D经费支出（万元）", "371302", "1,234.5")
	f.Add("2020年", "占比(%)", "全市", "45%")
	f.Add("注：", "县区", "合计", "—")
	cat := testCatalog(f)
	f.Fuzz(func(t *testing.T, title, header, region, value string) {
		wb := excelize.NewFile()
		defer wb.Close()
		for cell, v := range map[string]string{"A1": title, "A2": "县区", "B2": header, "C2": "高新技术企业数",
			"A3": region, "B3": value, "C3": "5", "A4": "罗庄区", "B4": value, "C4": "6", "A5": "全市", "B5": "1", "C5": "11"} {
			if err := wb.SetCellStr("Sheet1", cell, v); err != nil {
				return // excelize refuses some strings (too long); nothing to read then
			}
		}
		var buf bytes.Buffer
		if err := wb.Write(&buf); err != nil {
			return
		}
		b := readXLSX("f.xlsx", buf.Bytes(), cat, ReadOptions{})
		for _, p := range b.Problems {
			if p.File != "f.xlsx" || p.Key == "" || p.Message == "" {
				t.Fatalf("imprecise problem %+v", p)
			}
			if p.Severity == SeverityError && p.Sheet != "Sheet1" {
				t.Fatalf("problem without its sheet: %+v", p)
			}
		}
	})
}

package main

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	duckdbdriver "github.com/duckdb/duckdb-go/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// roundTripQuery covers text (Chinese), DOUBLE, DECIMAL, INTEGER, BOOLEAN,
// DATE and NULL.
const roundTripQuery = `SELECT region_code, region_name, value,
	CAST(value AS DECIMAL(10,3)) AS value_dec, rank, NULLIF(rank, 1) AS rank_or_null,
	above_province, DATE '2020-12-31' AS as_of
FROM county_vs_province WHERE period = '2020' AND indicator = 'rd_intensity' ORDER BY region_code`

// column kinds, for comparing what each format gives back.
var roundTripKinds = []string{"text", "text", "float", "dec3", "int", "int", "bool", "date"}

// canon renders a value as the kind's canonical text, whatever form a
// format gives it back in (Excel serial dates, "1" for true, …).
func canon(kind string, v any) string {
	if v == nil {
		return "NULL"
	}
	s := fmt.Sprint(v)
	switch x := v.(type) {
	case duckdbdriver.Decimal:
		s = x.String()
	case time.Time:
		s = x.Format(time.DateOnly)
	case json.Number:
		s = x.String()
	}
	if s == "" && kind != "text" {
		return "NULL"
	}
	switch kind {
	case "float":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "bad float " + s
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case "dec3":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "bad decimal " + s
		}
		return strconv.FormatFloat(f, 'f', 3, 64)
	case "int":
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "bad int " + s
		}
		return strconv.Itoa(int(n))
	case "bool":
		switch s {
		case "1", "true", "TRUE":
			return "true"
		case "0", "false", "FALSE":
			return "false"
		}
		return "bad bool " + s
	case "date":
		if f, err := strconv.ParseFloat(s, 64); err == nil { // an Excel serial
			t, err := excelize.ExcelDateToTime(f, false)
			if err != nil {
				return "bad date " + s
			}
			return t.Format(time.DateOnly)
		}
		if len(s) >= 10 {
			return s[:10]
		}
	}
	return s
}

func scanAll(t *testing.T, rows *sql.Rows) [][]string {
	t.Helper()
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(roundTripKinds))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, canonRow(vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func canonRow(vals []any) []string {
	row := make([]string, len(vals))
	for i, v := range vals {
		row[i] = canon(roundTripKinds[i], v)
	}
	return row
}

// TestSQLFormatsRoundTrip writes one result in every format, reads each
// back with an independent reader (DuckDB's read_parquet, excelize, arrow-go,
// encoding/csv and encoding/json) and compares with the query's own rows.
func TestSQLFormatsRoundTrip(t *testing.T) {
	db := sampleWarehouse(t)
	mem, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if _, err := mem.Exec("ATTACH '" + db + "' AS w (READ_ONLY); USE w"); err != nil {
		t.Fatal(err)
	}
	rows, err := mem.Query(roundTripQuery)
	if err != nil {
		t.Fatal(err)
	}
	want := scanAll(t, rows)
	if len(want) != 14 || want[1][1] != "兰山区" || want[13][5] != "NULL" {
		t.Fatalf("unexpected reference rows: %v", want)
	}
	dir := t.TempDir()
	readers := map[string]func(t *testing.T, path string) [][]string{
		"out.parquet": func(t *testing.T, path string) [][]string {
			var types []string
			trows, err := mem.Query("SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))", path)
			if err != nil {
				t.Fatal(err)
			}
			for trows.Next() {
				var s string
				trows.Scan(&s)
				types = append(types, s)
			}
			trows.Close()
			if diff := cmp.Diff([]string{"VARCHAR", "VARCHAR", "DOUBLE", "DECIMAL(10,3)", "INTEGER", "INTEGER", "BOOLEAN", "DATE"}, types); diff != "" {
				t.Errorf("parquet column types (-want +got):\n%s", diff)
			}
			rows, err := mem.Query("SELECT * FROM read_parquet(?)", path)
			if err != nil {
				t.Fatal(err)
			}
			return scanAll(t, rows)
		},
		"out.arrow": readArrow,
		"out.xlsx": func(t *testing.T, path string) [][]string {
			f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			style, _ := f.GetCellStyle("result", "D2")
			st, _ := f.GetStyle(style)
			if st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "0.000" {
				t.Errorf("DECIMAL(10,3) cell has no 0.000 number format: %+v", st)
			}
			rows, err := f.GetRows("result")
			if err != nil {
				t.Fatal(err)
			}
			return canonText(t, rows, "region_code")
		},
		"out.csv": func(t *testing.T, path string) [][]string {
			b, _ := os.ReadFile(path)
			if !bytes.HasPrefix(b, []byte("\uFEFF")) {
				t.Error("--bom: the CSV does not start with a byte order mark")
			}
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return canonText(t, rows, "region_code")
		},
		"out.json": func(t *testing.T, path string) [][]string {
			b, _ := os.ReadFile(path)
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.UseNumber()
			var objs []map[string]any
			if err := dec.Decode(&objs); err != nil {
				t.Fatal(err)
			}
			names := []string{"region_code", "region_name", "value", "value_dec", "rank", "rank_or_null", "above_province", "as_of"}
			var out [][]string
			for _, o := range objs {
				vals := make([]any, len(names))
				for i, n := range names {
					vals[i] = o[n]
				}
				out = append(out, canonRow(vals))
			}
			return out
		},
	}
	for name, read := range readers {
		path := filepath.Join(dir, name)
		_, errOut, code := runCLI(t, "sql", "--db", db, "--bom", "-o", path, roundTripQuery)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		var opts []cmp.Option
		if name == "out.xlsx" {
			opts = append(opts, excelPrecision) // Excel keeps 15 significant digits
		}
		if diff := cmp.Diff(want, read(t, path), opts...); diff != "" {
			t.Errorf("%s read back (-want +got):\n%s", name, diff)
		}
	}
	// --format wins over the extension, and binary formats need a file.
	out, _, code := runCLI(t, "sql", "--db", db, "--format", "json", "SELECT 1 AS one")
	if code != 0 || out != "[\n  {\"one\": 1}\n]\n" {
		t.Errorf("--format json to stdout: exit %d %q", code, out)
	}
	if _, errOut, code := runCLI(t, "sql", "--db", db, "--format", "parquet", "SELECT 1"); code != ExitUsage || !strings.Contains(errOut, "parquet output needs a file: add -o FILE") {
		t.Errorf("parquet to a terminal: exit %d %s", code, errOut)
	}
	if _, errOut, code := runCLI(t, "sql", "--db", db, "-o", filepath.Join(dir, "x.dat"), "SELECT 1"); code != ExitUsage || !strings.Contains(errOut, "cannot tell the format of") {
		t.Errorf("unknown extension: exit %d %s", code, errOut)
	}
	if _, errOut, code := runCLI(t, "sql", "--db", db, "-o", filepath.Join(dir, "two.csv"), "SELECT 1; SELECT 2"); code != ExitError || !strings.Contains(errOut, "more than one statement returns a result") {
		t.Errorf("two results to one file: exit %d %s", code, errOut)
	}
}

// excelPrecision compares numbers to Excel's 15 significant digits.
var excelPrecision = cmp.Comparer(func(a, b string) bool {
	if a == b {
		return true
	}
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	return errA == nil && errB == nil && math.Abs(fa-fb) <= 1e-14*math.Max(math.Abs(fa), 1)
})

// canonText turns a text grid with a header row into canonical rows.
func canonText(t *testing.T, grid [][]string, first string) [][]string {
	t.Helper()
	if len(grid) == 0 || grid[0][0] != first {
		t.Fatalf("no header row: %v", grid)
	}
	var out [][]string
	for _, r := range grid[1:] {
		vals := make([]any, len(roundTripKinds))
		for i := range vals {
			if i < len(r) {
				vals[i] = r[i]
			} else {
				vals[i] = ""
			}
		}
		out = append(out, canonRow(vals))
	}
	return out
}

func readArrow(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ipc.NewFileReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out [][]string
	for i := 0; i < r.NumRecords(); i++ {
		rec, err := r.RecordBatch(i)
		if err != nil {
			t.Fatal(err)
		}
		for row := 0; row < int(rec.NumRows()); row++ {
			vals := make([]any, rec.NumCols())
			for c := range vals {
				col := rec.Column(c)
				if col.IsNull(row) {
					continue
				}
				switch a := col.(type) {
				case *array.String:
					vals[c] = a.Value(row)
				case *array.Float64:
					vals[c] = a.Value(row)
				case *array.Decimal128:
					vals[c] = a.Value(row).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
				case *array.Int32:
					vals[c] = a.Value(row)
				case *array.Boolean:
					vals[c] = a.Value(row)
				case *array.Date32:
					vals[c] = a.Value(row).ToTime()
				default:
					t.Fatalf("unexpected arrow column %T", col)
				}
			}
			out = append(out, canonRow(vals))
		}
	}
	return out
}

package pipelines

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// badFixtures: each file in testdata/bad with the first error it must
// produce, located exactly (Excel rows and column letters for sheets, lines
// for text, record numbers for Parquet and Arrow).
var badFixtures = []struct {
	file               string
	key, sheet, column string
	row                int
	value              string // checked when not empty
	opt                ReadOptions
}{
	{file: "empty.csv", key: "empty_file"},
	{file: "blank_lines.csv", key: "empty_file"},
	{file: "unknown_region.csv", key: "unknown_region", row: 3, column: "region_code", value: "371399"},
	{file: "unknown_indicator.csv", key: "unknown_indicator", row: 3, column: "indicator", value: "hitech_enterprise"},
	{file: "unknown_unit.csv", key: "unknown_unit", row: 3, column: "unit", value: "美元"},
	{file: "bad_number.csv", key: "bad_number", row: 3, column: "value", value: "约60"},
	{file: "bad_period.csv", key: "bad_period", row: 3, column: "period", value: "2020-13"},
	{file: "period_not_ytd.csv", key: "bad_period", row: 3, column: "period", value: "2020年3-5月"},
	{file: "out_of_range.csv", key: "out_of_range", row: 3, column: "value", value: "180"},
	{file: "negative_count.csv", key: "out_of_range", row: 3, column: "value", value: "-3"},
	{file: "duplicate_key.csv", key: "duplicate_key", row: 4, column: "region_code", value: "371302|2020-10|hitech_enterprises"},
	{file: "stray_quote.csv", key: "bad_csv", row: 3},
	{file: "bare_quote.csv", key: "bad_csv", row: 3},
	{file: "wrong_field_count.csv", key: "wrong_field_count", row: 3},
	{file: "truncated.csv", key: "wrong_field_count", row: 3, value: "371311,2020-10,hitech_ent"},
	{file: "missing_column.csv", key: "missing_column", row: 1, column: "indicator"},
	{file: "unknown_column.csv", key: "unknown_column", row: 1, column: "remark"},
	{file: "frequency_mismatch.csv", key: "frequency_mismatch", row: 3, column: "period", value: "2020-10"},
	{file: "region_not_valid.csv", key: "region_not_valid", row: 3, column: "period"},
	{file: "bad_status.csv", key: "bad_status", row: 2, column: "status", value: "草稿"},
	{file: "region_name_mismatch.csv", key: "region_name_mismatch", row: 2, column: "region_name", value: "罗庄区"},
	{file: "percent_amount.csv", key: "bad_number", row: 3, column: "value", value: "5%"},
	{file: "mixed_encoding.csv", key: "bad_encoding", row: 4},
	{file: "binary_garbage.csv", key: "not_text"},
	{file: "xlsx_as.csv", key: "wrong_format"},
	{file: "old_excel.xls", key: "unknown_format", value: ".xls"},
	{file: "empty.xlsx", key: "empty_file"},
	{file: "truncated.xlsx", key: "bad_xlsx"},
	{file: "garbage.xlsx", key: "wrong_format"},
	{file: "wrong_sheet.xlsx", key: "no_table", sheet: "封面、人员名单"},
	{file: "wide_unknown_region.xlsx", key: "unknown_region", sheet: "月报", row: 8, column: "B", value: "沂南区"},
	{file: "wide_bad_number.xlsx", key: "bad_number", sheet: "月报", row: 10, column: "F", value: "约40家"},
	{file: "wide_out_of_range.xlsx", key: "out_of_range", sheet: "月报", row: 6, column: "D", value: "140.5"},
	{file: "wide_unknown_header.xlsx", key: "unknown_indicator", sheet: "月报", row: 3, column: "G", value: "技术交易金额（万元）"},
	{file: "wide_bad_unit.xlsx", key: "unknown_unit", sheet: "月报", row: 3, column: "F", value: "高新技术企业数（亿元）"},
	{file: "wide_duplicate_region.xlsx", key: "duplicate_key", sheet: "月报", row: 9},
	{file: "wide_missing_period.xlsx", key: "missing_period", sheet: "月报", row: 1},
	{file: "wide_period_not_ytd.xlsx", key: "bad_period", sheet: "月报", row: 1, value: "2020年3-10月"},
	{file: "wide_frequency_mismatch.xlsx", key: "frequency_mismatch", sheet: "月报", row: 2, column: "B"},
	{file: "long_sheet_bad_number.xlsx", key: "bad_number", sheet: "data", row: 3, column: "D（value）", value: "八十五"},
	{file: "truncated.parquet", key: "bad_parquet"},
	{file: "bad_value.parquet", key: "bad_number", row: 2, column: "value", value: "12.x"},
	{file: "missing_column.arrow", key: "missing_column", column: "indicator"},
	{file: "truncated.arrow", key: "bad_arrow"},
	{file: "syntax.json", key: "bad_json", row: 3},
	{file: "truncated.json", key: "bad_json", row: 3},
	{file: "not_scalar.json", key: "bad_json_value", row: 1, column: "value"},
	{file: "unknown_key.ndjson", key: "unknown_column", row: 2, column: "valeu"},
	{file: "missing_key.ndjson", key: "missing_column", row: 1, column: "indicator"},
	// A period on the command line that contradicts the title.
	{file: "../good/wide_county_monthly.xlsx", key: "period_conflict", sheet: "月报", row: 1, value: "2020年1-10月",
		opt: ReadOptions{Period: &periodSep}},
}

var periodSep = mustPeriod("2020-09")

// TestBadFixtures checks every bad file: its first error, located exactly,
// and that ingesting it leaves the warehouse as it was.
func TestBadFixtures(t *testing.T) {
	ctx := context.Background()
	db, cat := testWarehouse(t)
	l := &Loader{DB: db, Now: time.Now}
	if _, err := Ingest(ctx, l, cat, 1, []File{{Name: "long_utf8.csv", Path: "testdata/good/long_utf8.csv"}}, Options{}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, db)
	for _, tt := range badFixtures {
		t.Run(tt.file, func(t *testing.T) {
			f := File{Name: filepath.Base(tt.file), Path: filepath.Join("testdata/bad", tt.file)}
			b := ParseWith(ctx, f, cat, tt.opt)
			errs := b.Problems.Errors()
			if len(errs) == 0 {
				t.Fatalf("no error; problems: %v", b.Problems)
			}
			got := errs[0]
			if got.Key != tt.key || got.Sheet != tt.sheet || got.Row != tt.row || got.Column != tt.column ||
				(tt.value != "" && got.Value != tt.value) {
				t.Errorf("first error %s\n got key=%s sheet=%q row=%d column=%q value=%q\nwant key=%s sheet=%q row=%d column=%q value=%q",
					got, got.Key, got.Sheet, got.Row, got.Column, got.Value, tt.key, tt.sheet, tt.row, tt.column, tt.value)
			}
			if got.File != f.Name || got.Message == "" {
				t.Errorf("problem names file %q with message %q; want %q and a message", got.File, got.Message, f.Name)
			}
			res, err := Ingest(ctx, l, cat, 2, []File{f}, Options{Read: tt.opt})
			if err == nil || len(res) != 1 || res[0].Status != Refused {
				t.Errorf("Ingest = %+v, %v; want refused with an error", res, err)
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("warehouse changed by a refused file: %+v, was %+v", after, before)
			}
		})
	}
	if len(badFixtures) < 30 {
		t.Errorf("%d bad fixtures; the issue asks for at least 30", len(badFixtures))
	}
}

type state struct {
	facts, loads, warnings int64
	checksum               string
}

func snapshot(t *testing.T, db *duckdb.DB) state {
	t.Helper()
	var s state
	err := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM facts), (SELECT count(*) FROM loads), (SELECT count(*) FROM load_warnings),
		(SELECT coalesce(sum(hash(region_code, period, indicator, value, vintage, source_row))::VARCHAR, '') FROM facts)`).
		Scan(&s.facts, &s.loads, &s.warnings, &s.checksum)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

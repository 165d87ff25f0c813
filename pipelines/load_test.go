package pipelines

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch"
)

func goodFile(name string) File { return File{Name: name, Path: filepath.Join("testdata/good", name)} }

// TestIngestLoadsVintagesAndLineage walks a file through its life: a first
// load, the same bytes again, a revision, a dry run; several files at once
// with one bad among them.
func TestIngestLoadsVintagesAndLineage(t *testing.T) {
	ctx := context.Background()
	db, cat := testWarehouse(t)
	clock := time.Date(2020, 11, 5, 9, 0, 0, 0, time.UTC)
	l := &Loader{DB: db, Now: func() time.Time { return clock }}

	res, err := Ingest(ctx, l, cat, 7, []File{goodFile("wide_county_monthly.xlsx")}, Options{})
	if err != nil || res[0].Status != Loaded || res[0].New != 71 || res[0].LoadID != 1 {
		t.Fatalf("first load: %+v, %v; want 71 new facts as load 1", res, err)
	}
	// Lineage: file, hash, sheet, row, run, time.
	var file, hash, sheet string
	var row, run int64
	var at time.Time
	err = db.SQL().QueryRow(`SELECT file_name, file_hash, sheet, row, run_id, loaded_at FROM fact_lineage
		WHERE region_code = '371302' AND period = '2020-09' AND indicator = 'tech_smes'`).Scan(&file, &hash, &sheet, &row, &run, &at)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("testdata/good/wide_county_monthly.xlsx")
	if file != "wide_county_monthly.xlsx" || hash != HashBytes(data) || sheet != "2020年9月" || row != 3 || run != 7 || !at.Equal(clock) {
		t.Errorf("lineage = %s %s [%s] row %d run %d at %s", file, hash, sheet, row, run, at)
	}
	var mapping, format string
	if err := db.SQL().QueryRow(`SELECT mapping, format FROM loads WHERE id = 1`).Scan(&mapping, &format); err != nil ||
		mapping != "linyi_county_monthly,default" || format != "wide_xlsx" {
		t.Errorf("loads row: mapping %q format %q (%v)", mapping, format, err)
	}

	// The same bytes again: nothing to do, and it says which load had them.
	res, err = Ingest(ctx, l, cat, 8, []File{goodFile("wide_county_monthly.xlsx")}, Options{})
	if err != nil || res[0].Status != Unchanged || res[0].PrevLoad != 1 {
		t.Errorf("second load: %+v, %v; want unchanged (load 1)", res, err)
	}

	// A revision: one value changed, one added, the rest equal. The earlier
	// vintage stays; the latest is the new one.
	dir := t.TempDir()
	rev := filepath.Join(dir, "revision.csv")
	os.WriteFile(rev, []byte("region_code,period,indicator,value,unit,status\n"+
		"371302,2020-10,hitech_output,121.5,亿元,final\n"+ // revised from 120
		"371311,2020-10,hitech_enterprises,60,家,\n"+ // unchanged
		"371302,2020-11,hitech_output,133,亿元,\n"), 0o644) // new
	res, err = Ingest(ctx, l, cat, 9, []File{{Name: "revision.csv", Path: rev}}, Options{})
	if err != nil || res[0].Status != Loaded || res[0].New != 1 || res[0].Revised != 1 || res[0].LoadID != 2 {
		t.Fatalf("revision: %+v, %v; want 1 new, 1 revised as load 2", res, err)
	}
	rows, err := db.SQL().Query(`SELECT vintage, value, status FROM facts
		WHERE region_code = '371302' AND period = '2020-10' AND indicator = 'hitech_output' ORDER BY vintage`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var v int64
		var val float64
		var st string
		rows.Scan(&v, &val, &st)
		got = append(got, strings.Join([]string{itoa(int(v)), innowatch.FormatFloat(val), st}, " "))
	}
	rows.Close()
	if diff := cmp.Diff([]string{"1 120 provisional", "2 121.5 final"}, got); diff != "" {
		t.Errorf("vintages (-want +got):\n%s", diff)
	}

	// A dry run validates and writes nothing.
	before := snapshot(t, db)
	res, err = Ingest(ctx, l, cat, 10, []File{goodFile("long_utf8.csv")}, Options{DryRun: true})
	if err != nil || res[0].Status != Valid || res[0].Facts != 11 {
		t.Errorf("dry run: %+v, %v", res, err)
	}
	if after := snapshot(t, db); after != before {
		t.Errorf("dry run changed the warehouse: %+v, was %+v", after, before)
	}

	// Several files: each its own unit; the bad one is refused, the others
	// load. (long.json states 371302's October output as 120, ytd_decrease.csv
	// as 104.5: together they are refused, TestCrossFileConflict; the JSON
	// file here states other facts.)
	other := []byte(`[{"region_code": "371312", "period": "2020-11", "indicator": "hitech_enterprises", "value": 46, "status": "初步"}]`)
	res, err = Ingest(ctx, l, cat, 11, []File{{Name: "long.json", Data: other}, {Name: "bad_number.csv", Path: "testdata/bad/bad_number.csv"},
		goodFile("ytd_decrease.csv")}, Options{})
	if err == nil || !strings.Contains(err.Error(), "1 of 3 file(s) refused: bad_number.csv") {
		t.Errorf("error %v, want 1 of 3 refused", err)
	}
	var statuses []string
	for _, r := range res {
		statuses = append(statuses, r.File+":"+r.Status)
	}
	if diff := cmp.Diff([]string{"long.json:loaded", "bad_number.csv:refused", "ytd_decrease.csv:loaded"}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	// The warning of ytd_decrease.csv is stored with its load.
	var key string
	var wrow int
	if err := db.SQL().QueryRow(`SELECT w.key, w.row FROM load_warnings w JOIN loads l ON l.id = w.load_id
		WHERE l.file_name = 'ytd_decrease.csv'`).Scan(&key, &wrow); err != nil || key != "ytd_decrease" || wrow != 4 {
		t.Errorf("stored warning %s row %d (%v), want ytd_decrease row 4", key, wrow, err)
	}
}

// TestTotalAgainstWarehouse: a county sheet's 全市 row is checked against
// the city's own figure already loaded.
func TestTotalAgainstWarehouse(t *testing.T) {
	ctx := context.Background()
	db, cat := testWarehouse(t)
	l := &Loader{DB: db, Now: time.Now}
	dir := t.TempDir()
	city := filepath.Join(dir, "city.csv")
	os.WriteFile(city, []byte("region_code,period,indicator,value,unit\n371300,2020-10,hitech_output,590,亿元\n"), 0o644)
	if _, err := Ingest(ctx, l, cat, 1, []File{{Name: "city.csv", Path: city}}, Options{}); err != nil {
		t.Fatal(err)
	}
	res, err := Ingest(ctx, l, cat, 2, []File{goodFile("wide_county_monthly.xlsx")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, w := range res[0].Warnings {
		if w.Key == "total_mismatch_city" && w.Row == 18 && w.Column == "C" && w.Value == "600" && w.Expected == "590" {
			found = true
		}
	}
	if !found {
		t.Errorf("warnings %v, want total_mismatch_city at C18: 600 against the city's 590", res[0].Warnings)
	}
}

// TestUnchangedFileIsNotParsed: a file whose size and options an earlier
// load recorded is hashed first and, when the hash matches too, recognised
// without being parsed (a no-op run of a 220 MB file parsed it whole). The
// same size with one byte changed is parsed and loaded; so is the same file
// with other options; a load recorded without its size is still recognised
// by the hash taken while parsing.
func TestUnchangedFileIsNotParsed(t *testing.T) {
	ctx := context.Background()
	db, cat := testWarehouse(t)
	l := &Loader{DB: db, Now: testNow}
	parses := 0
	opt := Options{Now: testNow, parse: func(ctx context.Context, f File, cat *innowatch.Catalog, ro ReadOptions) *Batch {
		parses++
		return ParseWith(ctx, f, cat, ro)
	}}
	path, data := fixtureCopy(t, "testdata/good/long_utf8.csv")
	f := File{Name: "long.csv", Path: path}
	ingest := func(step string, o Options) LoadResult {
		t.Helper()
		res, err := Ingest(ctx, l, cat, 1, []File{f}, o)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return res[0]
	}
	if r := ingest("first load", opt); r.Status != Loaded || parses != 1 {
		t.Fatalf("first load: %s, %d parse(s); want loaded, 1", r.Status, parses)
	}
	r := ingest("same bytes", opt)
	if r.Status != Unchanged || r.PrevLoad != 1 || parses != 1 {
		t.Fatalf("same bytes: %s (load #%d), %d parse(s); want unchanged (load #1) without parsing", r.Status, r.PrevLoad, parses)
	}

	// One byte changed, same size: 250000 万元 → 250001 万元.
	changed := bytes.Replace(data, []byte("250000"), []byte("250001"), 1)
	if len(changed) != len(data) || bytes.Equal(changed, data) {
		t.Fatal("the fixture no longer holds 250000")
	}
	if err := os.WriteFile(path, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	r = ingest("one byte changed", opt)
	if r.Status != Loaded || r.Revised != 1 || parses != 2 {
		t.Fatalf("one byte changed: %s, %d revised, %d parse(s); want loaded, 1 revised, 2 parses", r.Status, r.Revised, parses)
	}

	// Same bytes, other effective options: a new identity, parsed.
	forced := opt
	forced.Read.Encoding = EncUTF8
	if r = ingest("forced encoding", forced); r.Status != NoChange || parses != 3 {
		t.Fatalf("forced encoding: %s, %d parse(s); want no change, 3 parses", r.Status, parses)
	}

	// A load recorded before sizes were: recognised after parsing, as before.
	if _, err := db.SQL().ExecContext(ctx, "DELETE FROM load_sizes"); err != nil {
		t.Fatal(err)
	}
	if r = ingest("no size recorded", opt); r.Status != Unchanged || r.PrevLoad != 2 || parses != 4 {
		t.Fatalf("no size recorded: %s (load #%d), %d parse(s); want unchanged (load #2), 4 parses", r.Status, r.PrevLoad, parses)
	}
	var sizes int
	if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM load_sizes").Scan(&sizes); err != nil || sizes != 0 {
		t.Errorf("%d sizes recorded by an unchanged file (%v), want 0", sizes, err)
	}
}

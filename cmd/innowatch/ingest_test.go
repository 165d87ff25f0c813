package main

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "../../pipelines/testdata"

func countFacts(t *testing.T, db string) int {
	t.Helper()
	w, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var n int
	if err := w.QueryRow("SELECT count(*) FROM facts").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestIngestCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	good := func(name string) string { return filepath.Join(fixtures, "good", name) }
	bad := func(name string) string { return filepath.Join(fixtures, "bad", name) }

	// A dry run reports and writes nothing.
	out, errOut, code := runCLI(t, "ingest", "--db", db, "--dry-run", good("wide_county_monthly.xlsx"))
	if code != 0 || !strings.Contains(out, "valid      wide_county_monthly.xlsx: 71 facts, 0 targets (dry run, not loaded) [wide_xlsx, mapping linyi_county_monthly,default]") {
		t.Fatalf("dry run exit %d:\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dry run created the warehouse (%v): it validates against the built-in catalog", err)
	}

	// Several formats at once; the GBK file is detected.
	out, errOut, code = runCLI(t, "ingest", "--db", db, good("wide_county_monthly.xlsx"), good("long_gbk.csv"), good("long_dates.xlsx"))
	if code != 0 {
		t.Fatalf("ingest exit %d:\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"loaded     wide_county_monthly.xlsx: 71 facts (71 new, 0 revised), vintage 1 [wide_xlsx, mapping linyi_county_monthly,default]",
		"loaded     long_gbk.csv: 11 facts (7 new, 0 revised), vintage 2 [long_csv, gb18030]",
		"loaded     long_dates.xlsx: 3 facts (1 new, 0 revised), vintage 3 [long_xlsx]",
		"summary    3 file(s): 3 loaded",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// A wide sheet without a period needs --period; the same bytes again are unchanged.
	_, _, code = runCLI(t, "ingest", "--db", db, good("wide_no_period.xlsx"))
	if code != 1 {
		t.Errorf("wide sheet without period: exit %d, want 1", code)
	}
	out, errOut, code = runCLI(t, "ingest", "--db", db, "--period", "2020年1-11月", good("wide_no_period.xlsx"))
	if code != 0 || !strings.Contains(out, "loaded     wide_no_period.xlsx: 2 facts (2 new, 0 revised), vintage 4") {
		t.Errorf("with --period: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = runCLI(t, "ingest", "--db", db, "--period", "2020年1-11月", good("wide_no_period.xlsx"))
	if code != 0 || !strings.Contains(out, "unchanged  wide_no_period.xlsx: same content as load #4") {
		t.Errorf("same bytes and options again: exit %d\n%s", code, out)
	}
	// Issue 13 item 8: the options are part of what makes a load the same,
	// and validation comes first: without --period the same bytes are
	// refused again, not "unchanged".
	out, _, code = runCLI(t, "ingest", "--db", db, good("wide_no_period.xlsx"))
	if code != 1 || !strings.Contains(out, "missing_period") {
		t.Errorf("same bytes without --period: exit %d, want 1 (missing_period)\n%s", code, out)
	}

	// A refused file: non-zero exit, every problem located, nothing written.
	before := countFacts(t, db)
	out, errOut, code = runCLI(t, "ingest", "--db", db, bad("wide_bad_number.xlsx"), good("ytd_decrease.csv"))
	if code != 1 {
		t.Errorf("refused file: exit %d, want 1", code)
	}
	for _, want := range []string{
		"refused    wide_bad_number.xlsx: 1 problem(s), nothing loaded",
		"wide_bad_number.xlsx [月报] 第10行 列 F: 错误 数值无法识别 (bad_number); 值 \"约40家\"",
		"loaded     ytd_decrease.csv: 3 facts (1 new, 1 revised), vintage 5",
		"ytd_decrease.csv 第4行 列 value: 警告 高新技术产业产值为1-N月累计值，2020年1-10月低于1-9月 (ytd_decrease)",
		"summary    2 file(s): 1 loaded, 1 refused",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "1 of 2 file(s) refused: wide_bad_number.xlsx") {
		t.Errorf("stderr %q", errOut)
	}
	if after := countFacts(t, db); after != before+2 {
		t.Errorf("facts %d after, %d before: only ytd_decrease.csv's new and revised facts should be added", after, before)
	}

	// Flags are checked before anything is opened.
	for _, args := range [][]string{
		{"--encoding", "latin1"}, {"--period", "二〇二〇"},
	} {
		_, errOut, code := runCLI(t, append(append([]string{"ingest", "--db", db}, args...), good("long.json"))...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d (%s), want usage error", args, code, errOut)
		}
	}
	_, errOut, code = runCLI(t, "ingest", "--db", db, "--mapping", "no_such_template", good("long.json"))
	if code != 1 || !strings.Contains(errOut, "built-in mappings: linyi_county_annual, linyi_county_monthly, shandong_cities, default") {
		t.Errorf("unknown mapping: exit %d, stderr %q", code, errOut)
	}
}

// TestIngestAccept (issue 13 item 5): a figure refused as implausible loads
// with --accept, its reason stored in load_accepts; a key that cannot be
// accepted, or an accept without a reason, is a usage error.
func TestIngestAccept(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("region_code,period,indicator,value,unit,status\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if out, errOut, code := runCLI(t, "ingest", "--db", db, write("2019.csv", "371302,2019,rd_expenditure,2.5,亿元,final\n")); code != 0 {
		t.Fatalf("first load: exit %d\n%s%s", code, out, errOut)
	}
	jump := write("2020.csv", "371302,2020,rd_expenditure,30,亿元,final\n")
	out, _, code := runCLI(t, "ingest", "--db", db, jump)
	if code != 1 || !strings.Contains(out, "(implausible_jump)") || !strings.Contains(out, "--accept implausible_jump:371302:rd_expenditure=") {
		t.Errorf("jump: exit %d, want 1 with the accept hint\n%s", code, out)
	}
	// A dry run judges the file exactly as the load will: refused without
	// the rule, passed with it, and nothing loaded either way.
	if out, _, code := runCLI(t, "ingest", "--db", db, "--dry-run", jump); code != 1 || !strings.Contains(out, "(implausible_jump)") {
		t.Errorf("dry run without --accept: exit %d, want 1\n%s", code, out)
	}
	if out, errOut, code := runCLI(t, "ingest", "--db", db, "--dry-run", "--accept", "implausible_jump:371302:rd_expenditure=核实", jump); code != 0 {
		t.Errorf("dry run with --accept: exit %d, want 0\n%s%s", code, out, errOut)
	}
	out, errOut, code := runCLI(t, "ingest", "--db", db, "--accept", "implausible_jump:兰山区:rd_expenditure=两个新项目，县统计局核实", jump)
	if code != 0 || !strings.Contains(out, "loaded     2020.csv") {
		t.Fatalf("accepted: exit %d\n%s%s", code, out, errOut)
	}
	w, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	var reason string
	err = w.QueryRow("SELECT reason FROM load_accepts WHERE key = 'implausible_jump' AND region_code = '371302'").Scan(&reason)
	w.Close()
	if err != nil || reason != "两个新项目，县统计局核实" {
		t.Errorf("stored reason %q (%v)", reason, err)
	}
	for _, bad := range []string{"bad_number=typo", "implausible_jump", "implausible_jump:371399=x"} {
		if _, errOut, code := runCLI(t, "ingest", "--db", db, "--accept", bad, jump); code != 2 {
			t.Errorf("--accept %s: exit %d, want 2\n%s", bad, code, errOut)
		}
	}
}

// TestRunAccept: `run --data` judges files as `ingest` does, and a problem
// known to be right is accepted there too (the crash harness and a
// statistician's monthly run need it as much as a single ingest).
func TestRunAccept(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	site := filepath.Join(dir, "site")
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o755)
	if _, errOut, code := runCLI(t, "run", "--db", db, "--out", site); code != 0 {
		t.Fatalf("sample run: exit %d\n%s", code, errOut)
	}
	// 兰山区's R&D spend of 2021 ten times that of 2020 in the sample.
	before := queryFloat(t, db, "SELECT value FROM facts WHERE region_code = '371302' AND indicator = 'rd_expenditure' AND period = '2020'")
	os.WriteFile(filepath.Join(data, "jump.csv"), []byte(fmt.Sprintf("region_code,period,indicator,value,unit\n371302,2021,rd_expenditure,%g,万元\n", before*10)), 0o644)
	out, errOut, code := runCLI(t, "run", "--db", db, "--data", data, "--out", site)
	if code != ExitError || !strings.Contains(out, "(implausible_jump)") {
		t.Fatalf("run with a jump: exit %d, want %d\n%s%s", code, ExitError, out, errOut)
	}
	out, errOut, code = runCLI(t, "run", "--db", db, "--data", data, "--out", site, "--accept", "implausible_jump:371302:rd_expenditure=新建研发中心，区统计局核实")
	if code != 0 || !strings.Contains(out, "loaded     jump.csv") {
		t.Fatalf("run with --accept: exit %d\n%s%s", code, out, errOut)
	}
	if got := queryFloat(t, db, "SELECT count(*) FROM load_accepts WHERE key = 'implausible_jump' AND reason = '新建研发中心，区统计局核实'"); got != 1 {
		t.Errorf("%v accepted problems stored with the reason, want 1", got)
	}
	if _, errOut, code := runCLI(t, "run", "--db", db, "--data", data, "--out", site, "--accept", "no_such_key=x"); code != 2 {
		t.Errorf("run --accept with an unknown key: exit %d, want 2\n%s", code, errOut)
	}
}

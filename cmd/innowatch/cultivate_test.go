package main

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/linyi-sti/innowatch/pipelines/sample"
)

func readSampleRoster(t *testing.T, name string) [][]string {
	t.Helper()
	data, err := fs.ReadFile(sample.RegistersFS(), name)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

// TestCultivateWorkbooks checks the 兰山区 workbook against the sample
// rosters read directly here: the 2020 candidates without a valid
// certificate on 2020-10-31, and the enterprises whose latest certificate
// expires in 2020 or 2021.
func TestCultivateWorkbooks(t *testing.T) {
	db := sampleWarehouse(t)
	out := filepath.Join(t.TempDir(), "cult")
	stdout, errOut, code := runCLI(t, "cultivate", "--db", db, "--out", out, "--year", "2020", "--as-of", "2020-10-31")
	if code != 0 {
		t.Fatalf("cultivate exit %d:\n%s%s", code, stdout, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.xlsx"))
	if len(files) != 13 {
		t.Fatalf("%d workbooks, want 13 (12 counties and the zone): %v", len(files), files)
	}
	// Independent expectation from the CSV files.
	asOf := time.Date(2020, 10, 31, 0, 0, 0, 0, time.UTC)
	date := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	valid := map[string]bool{}
	latest := map[string][]string{}
	for _, r := range readSampleRoster(t, sample.FileCertificates) {
		iss := date(r[4])
		end := iss.AddDate(3, 0, 0)
		if r[5] != "" && date(r[5]).Before(end) {
			end = date(r[5])
		}
		if !asOf.Before(iss) && asOf.Before(end) {
			valid[r[1]] = true
		}
		if l, ok := latest[r[1]]; !ok || r[4] > l[4] {
			latest[r[1]] = r
		}
	}
	wantCand := map[string]bool{}
	for _, r := range readSampleRoster(t, sample.FileCandidates) {
		if r[2] == "兰山区" && r[16] == "2020" && !valid[r[1]] {
			wantCand[r[1]] = true
		}
	}
	wantExp := map[string]bool{}
	for uscc, r := range latest {
		if y := date(r[4]).AddDate(3, 0, 0).Year(); r[2] == "兰山区" && r[5] == "" && (y == 2020 || y == 2021) {
			wantExp[uscc] = true
		}
	}
	f, err := excelize.OpenFile(filepath.Join(out, "高企培育_2020_371302_兰山区.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cand, err := f.GetRows("培育库排序")
	if err != nil {
		t.Fatal(err)
	}
	if cand[0][0] != "排序" || cand[0][5] != "尚缺条件及差距" {
		t.Errorf("candidate header %v", cand[0])
	}
	got := map[string]bool{}
	prevFailed := "0"
	for i, r := range cand[1:] {
		got[r[2]] = true
		if r[4] < prevFailed {
			t.Errorf("row %d: %s conditions missed after %s: not ranked", i+2, r[4], prevFailed)
		}
		prevFailed = r[4]
		if (r[3] == "是") != (r[4] == "0") || (r[4] != "0" && r[5] == "") {
			t.Errorf("row %d: eligible %s, missed %s, lacks %q", i+2, r[3], r[4], r[5])
		}
	}
	if len(got) != len(wantCand) || len(got) == 0 {
		t.Errorf("%d candidates in the workbook, want %d", len(got), len(wantCand))
	}
	for u := range wantCand {
		if !got[u] {
			t.Errorf("candidate %s missing from the workbook", u)
		}
	}
	exp, err := f.GetRows("证书到期")
	if err != nil {
		t.Fatal(err)
	}
	if len(exp)-1 != len(wantExp) || len(wantExp) == 0 {
		t.Errorf("%d expiring certificates in the workbook, want %d", len(exp)-1, len(wantExp))
	}
	for _, r := range exp[1:] {
		if !wantExp[r[1]] {
			t.Errorf("%s listed as expiring", r[1])
		}
	}
	if !strings.Contains(stdout, "13 county workbook(s) for 2020 as of 2020-10-31") {
		t.Errorf("summary missing:\n%s", stdout)
	}
}

// TestRegistersCommandRefusesWrongCheckDigit: a roster with one wrong
// check character is refused whole, naming its row and column, and the
// roster loaded before stays.
func TestRegistersCommandRefusesWrongCheckDigit(t *testing.T) {
	db := freshWarehouse(t)
	before := queryFloat(t, db, "SELECT count(*) FROM hitech_certificates")
	path := filepath.Join(t.TempDir(), "高企名单.csv")
	// 91371302MA3C000015 is valid (check 5, computed by hand in pipelines/registers); …16 is not.
	data := "企业名称,统一社会信用代码,所在县区,证书编号,发证日期\n" +
		"甲公司,91371302MA3C000015,兰山区,GR202037000001,2020-12-01\n" +
		"乙公司,91371302MA3C000016,兰山区,GR202037000002,2020-12-01\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "registers", "--db", db, path)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"refused    高企名单.csv: 1 problem(s), nothing loaded",
		"高企名单.csv 第3行 列 B（统一社会信用代码）: 错误 统一社会信用代码校验位错误：按GB 32100-2015应为“5”"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if after := queryFloat(t, db, "SELECT count(*) FROM hitech_certificates"); after != before || before == 0 {
		t.Errorf("certificates %v → %v: the refused file changed the roster", before, after)
	}
	// Fixed, it loads and replaces the roster.
	os.WriteFile(path, []byte(strings.Replace(data, "MA3C000016", "MA3C000028", 1)), 0o644)
	if out, errOut, code = runCLI(t, "registers", "--db", db, path); code != 0 {
		t.Fatalf("fixed file: exit %d:\n%s%s", code, out, errOut)
	}
	if n := queryFloat(t, db, "SELECT count(*) FROM hitech_certificates"); n != 2 {
		t.Errorf("%v certificates after the fixed load, want 2", n)
	}
}

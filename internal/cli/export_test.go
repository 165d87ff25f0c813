package cli

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

type yearStat struct {
	Year  int
	Rows  int
	Value float64
}

func yearStats(t *testing.T, db *sql.DB, query string) []yearStat {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []yearStat
	for rows.Next() {
		var s yearStat
		if err := rows.Scan(&s.Year, &s.Rows, &s.Value); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestExportParquetIsHivePartitioned exports the marts and reads them back
// with DuckDB's read_parquet(hive_partitioning): per year, the same rows and
// the same sum of values as the warehouse.
func TestExportParquetIsHivePartitioned(t *testing.T) {
	db := sampleWarehouse(t)
	out := filepath.Join(t.TempDir(), "export")
	stdout, errOut, code := runCLI(t, "export", "--db", db, "--out", out)
	if code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, errOut)
	}
	mem, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if _, err := mem.Exec("ATTACH '" + db + "' AS w (READ_ONLY)"); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct{ name, year string }{
		{"indicator_values", "year"},
		{"facts_latest", "year"},
		{"county_vs_province", "year"},
	} {
		parquet := "read_parquet('" + filepath.Join(out, m.name) + "/*/*.parquet', hive_partitioning = true)"
		want := yearStats(t, mem, "SELECT "+m.year+" AS y, count(*), round(coalesce(sum(value), 0), 6) FROM w."+m.name+" GROUP BY y ORDER BY y")
		got := yearStats(t, mem, "SELECT year, count(*), round(coalesce(sum(value), 0), 6) FROM "+parquet+" GROUP BY year ORDER BY year")
		// Row for row, every column: nothing missing, nothing extra.
		exclude := ""
		if m.year == "year" {
			exclude = " EXCLUDE (year)"
		}
		var diff int
		err := mem.QueryRow("SELECT count(*) FROM ((SELECT *" + exclude + " FROM w." + m.name + " EXCEPT ALL SELECT * EXCLUDE (year) FROM " + parquet +
			") UNION ALL (SELECT * EXCLUDE (year) FROM " + parquet + " EXCEPT ALL SELECT *" + exclude + " FROM w." + m.name + "))").Scan(&diff)
		if err != nil || diff != 0 {
			t.Errorf("%s: %d rows differ between the warehouse and the export (%v)", m.name, diff, err)
		}
		if len(want) < 2 {
			t.Fatalf("%s: the sample should span several years: %v", m.name, want)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s per year (-warehouse +parquet):\n%s", m.name, diff)
		}
		if _, err := os.Stat(filepath.Join(out, m.name, "year=2020", "data_0.parquet")); err != nil {
			t.Errorf("%s: no Hive partition file: %v", m.name, err)
		}
	}
	readme, err := os.ReadFile(filepath.Join(out, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| county_vs_province | table | ",
		"| index_vs_province | DOUBLE | 相对全省指数（全省=100） / index, province = 100 |",
		"| derivation | VARCHAR | reported 报送值, computed 由分子分母重算, missing 缺失 / how the value was obtained |",
		"read_parquet('indicator_values/*/*.parquet', hive_partitioning = true)",
	} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md lacks %q", want)
		}
	}
	// Exporting again replaces the folder; a foreign folder is refused.
	if _, errOut, code := runCLI(t, "export", "--db", db, "--out", out, "--format", "csv", "--bom"); code != 0 {
		t.Fatalf("second export: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "indicator_values")); err == nil {
		t.Error("the csv export kept the parquet folders of the previous export")
	}
	b, err := os.ReadFile(filepath.Join(out, "county_vs_province.csv"))
	if err != nil || !bytes.HasPrefix(b, []byte("\uFEFFregion_code,region_name,level,period,year,month,indicator,value,")) {
		t.Errorf("csv export: %v %q", err, b[:min(len(b), 80)])
	}
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "thesis.docx"), []byte("x"), 0o644)
	if _, errOut, code := runCLI(t, "export", "--db", db, "--out", foreign); code != ExitError || !strings.Contains(errOut, "holds files that innowatch export did not write") {
		t.Errorf("foreign folder: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(foreign, "thesis.docx")); err != nil {
		t.Error("export touched a foreign folder")
	}
}

func TestExportXLSX(t *testing.T) {
	db := sampleWarehouse(t)
	out := filepath.Join(t.TempDir(), "x")
	if _, errOut, code := runCLI(t, "export", "--db", db, "--out", out, "--format", "xlsx"); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	f, err := excelize.OpenFile(filepath.Join(out, "county_vs_province.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("result")
	if err != nil {
		t.Fatal(err)
	}
	want := int(queryFloat(t, db, "SELECT count(*) FROM county_vs_province"))
	if len(rows)-1 != want || rows[0][1] != "region_name" {
		t.Errorf("county_vs_province.xlsx: %d data rows, header %v; want %d rows", len(rows)-1, rows[0], want)
	}
}

package main

import (
	"bytes"
	"database/sql"
	"github.com/linyi-sti/innowatch/models"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
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

// TestExportLakeRunsTheSameModelSQL: another engine (here a fresh DuckDB
// with no innowatch code) reads the lake with hive partitioning and runs the
// models' own SQL on it, getting the marts the warehouse has.
func TestExportLakeRunsTheSameModelSQL(t *testing.T) {
	db := sampleWarehouse(t)
	lake := filepath.Join(t.TempDir(), "lake")
	if out, errOut, code := runCLI(t, "export", "--db", db, "--lake", lake); code != 0 {
		t.Fatalf("export --lake: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(lake, "facts", "year=2020", "data_0.parquet")); err != nil {
		t.Fatalf("facts not partitioned by year: %v", err)
	}
	mem, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	for _, name := range lakeInputs {
		src := "read_parquet('" + filepath.Join(lake, name+".parquet") + "')"
		if _, err := os.Stat(filepath.Join(lake, name)); err == nil {
			src = "read_parquet('" + filepath.Join(lake, name) + "/*/*.parquet', hive_partitioning = true)"
		}
		cols := "*"
		if strings.Contains(src, "hive_partitioning") {
			// year is a partition column; keep it only where the table has it.
			var n int
			if err := mem.QueryRow("SELECT count(*) FROM (DESCRIBE SELECT * FROM " + src + ") WHERE column_name = 'period'").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				cols = "* EXCLUDE (year)"
			}
		}
		if _, err := mem.Exec("CREATE VIEW " + name + " AS SELECT " + cols + " FROM " + src); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		t.Fatal(err)
	}
	ordered, err := models.Order(ms)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ordered {
		if _, err := mem.Exec("CREATE TABLE " + m.Name + " AS " + m.SQL); err != nil {
			t.Fatalf("model %s on the lake: %v", m.Name, err)
		}
	}
	for _, mart := range []string{"county_vs_province", "city_ranking", "target_progress"} {
		exported := "read_parquet('" + filepath.Join(lake, mart) + "/*/*.parquet', hive_partitioning = true)"
		// Compare every column but the partition column, rounded to 9
		// significant digits: another engine may sum in another order.
		var cols string
		if err := mem.QueryRow(`SELECT string_agg(CASE WHEN column_type = 'DOUBLE' THEN 'round(' || column_name || ', 9)' ELSE column_name END, ', ')
			FROM (DESCRIBE SELECT * FROM ` + mart + `) WHERE column_name <> 'year'`).Scan(&cols); err != nil {
			t.Fatal(err)
		}
		var n, diff int
		err := mem.QueryRow("SELECT count(*) FROM " + mart).Scan(&n)
		if err == nil {
			err = mem.QueryRow("SELECT count(*) FROM ((SELECT " + cols + " FROM " + mart + " EXCEPT ALL SELECT " + cols + " FROM " + exported +
				") UNION ALL (SELECT " + cols + " FROM " + exported + " EXCEPT ALL SELECT " + cols + " FROM " + mart + "))").Scan(&diff)
		}
		if err != nil || diff != 0 || n == 0 {
			t.Errorf("%s rebuilt from the lake: %d rows, %d differ from the export (%v)", mart, n, diff, err)
		}
	}
}

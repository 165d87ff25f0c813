package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// independentClient is what a statistician's own DuckDB client does: find
// the current serving copy through the pointer file, open it read-only with
// a plain connection (no innowatch code), and read the documented marts.
func independentClient(warehouse string) int {
	dir := filepath.Join(filepath.Dir(warehouse), "serving")
	name, err := os.ReadFile(filepath.Join(dir, "warehouse.current"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	db, err := sql.Open("duckdb", filepath.Join(dir, strings.TrimSpace(string(name)))+"?access_mode=read_only")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	rows, err := db.Query(`SELECT table_name, comment FROM duckdb_tables() WHERE table_name IN ('indicator_values', 'county_vs_province')
		UNION ALL SELECT view_name, coalesce(comment, '') FROM duckdb_views() WHERE view_name = 'facts_latest' ORDER BY 1`)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for rows.Next() {
		var n, c string
		rows.Scan(&n, &c)
		fmt.Printf("%s\t%s\n", n, c)
	}
	rows.Close()
	var v float64
	if err := db.QueryRow(`SELECT value FROM county_vs_province WHERE region_code = '371300' AND period = '2020' AND indicator = 'rd_intensity'`).Scan(&v); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("linyi 2020 rd_intensity\t%v\n", v)
	return 0
}

// TestIndependentClientReadsServingCopy runs a separate process with a plain
// DuckDB connection on the serving copy while another process holds the
// warehouse itself read-write: the copy opens, shows the documented marts
// with their comments, and the same numbers the warehouse has.
func TestIndependentClientReadsServingCopy(t *testing.T) {
	db := freshWarehouse(t)
	// Computed from the parts, by hand: R&D ÷ GDP × 100 for the city.
	want := queryFloat(t, db, `SELECT max(value) FILTER (indicator = 'rd_expenditure') / max(value) FILTER (indicator = 'gdp') * 100
		FROM facts_latest WHERE region_code = '371300' AND period = '2020'`)
	release := holdLock(t, db)
	defer release()

	var out, errb bytes.Buffer
	cmd := subprocess(t, "client", db)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("client: %v\n%s", err, errb.String())
	}
	got := out.String()
	wantOut := "county_vs_province\t本市各区县（含功能区）及全市与全省平均比较 / The focus city's counties, zones and the city itself compared with the provincial average\n" +
		"facts_latest\t每条事实的最新版本（其他模型均读此视图） / The latest vintage of every fact: what every other model reads\n" +
		"indicator_values\t指标值（比率由分子分母在各级重算） / Every indicator value, ratios recomputed from their parts at every level\n" +
		fmt.Sprintf("linyi 2020 rd_intensity\t%v\n", want)
	if diff := cmp.Diff(wantOut, got); diff != "" {
		t.Errorf("independent client output (-want +got):\n%s", diff)
	}
}

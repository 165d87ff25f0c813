package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSQLOutputNeverOverwritesTheWarehouse reproduces issue 15 item 7:
// `innowatch sql -o FILE` wrote anywhere, and overwrote the warehouse itself
// and the serving copy with a CSV. Those, the WAL and the published site are
// refused even with --force; any other existing file needs --force.
func TestSQLOutputNeverOverwritesTheWarehouse(t *testing.T) {
	db := freshWarehouse(t)
	dir := filepath.Dir(db)
	link := filepath.Join(t.TempDir(), "innocent.csv")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, output string
		force        bool
		want         string
	}{
		{"the warehouse", db, true, "would overwrite the warehouse"},
		{"its WAL", db + ".wal", true, "would overwrite the warehouse"},
		{"the serving copy", filepath.Join(dir, "serving", "warehouse-000001.duckdb"), true, "would overwrite"},
		{"the serving pointer", filepath.Join(dir, "serving", "warehouse.current"), true, "would overwrite the serving copies"},
		{"a page of the site", filepath.Join(dir, "site", "index.html"), true, "would overwrite the published site"},
		{"a new file in the site", filepath.Join(dir, "site", "regions", "new.csv"), true, "would overwrite the published site"},
		{"a link to the warehouse", link, true, "would overwrite the warehouse"},
		{"another DuckDB file", filepath.Join(dir, "serving", "..", "serving", "warehouse-000001.duckdb"), true, "would overwrite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"sql", "--db", db, "-o", tc.output, "--format", "csv", "SELECT 1 AS x"}
			if tc.force {
				args = append(args, "--force")
			}
			_, errOut, code := runCLI(t, args...)
			if code != ExitError || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want refused with %q", code, errOut, tc.want)
			}
		})
	}
	after, _ := os.ReadFile(db)
	if string(after) != string(before) {
		t.Error("the warehouse file changed")
	}
	// An existing file of the user's: only with --force.
	mine := filepath.Join(t.TempDir(), "answer.csv")
	os.WriteFile(mine, []byte("old\n"), 0o644)
	if _, errOut, code := runCLI(t, "sql", "--db", db, "-o", mine, "SELECT 1 AS x"); code != ExitError || !strings.Contains(errOut, "the file exists") {
		t.Errorf("existing file without --force: exit %d %s", code, errOut)
	}
	if _, errOut, code := runCLI(t, "sql", "--db", db, "-o", mine, "--force", "SELECT 1 AS x"); code != 0 {
		t.Errorf("existing file with --force: exit %d %s", code, errOut)
	}
	if b, _ := os.ReadFile(mine); string(b) != "x\n1\n" {
		t.Errorf("answer.csv = %q, want the result", b)
	}
}

// TestSQLSessionIsBounded reproduces issue 15 item 8: --max-rows 10 did not
// limit the work (a cross join reached 16.9 GB in 30 s) and the read-only
// session had DuckDB's default memory limit (80% of RAM). Now the row limit
// stops the query, the memory is limited (a quarter of RAM by default) and
// spilling goes to a private, bounded temporary folder.
func TestSQLSessionIsBounded(t *testing.T) {
	db := sampleWarehouse(t)
	// 10^11 rows: finishes at once only if the limit reaches the query.
	out, errOut, code := runCLI(t, "sql", "--db", db, "--max-rows", "10", "--memory-limit", "64MiB", "--timeout", "20s",
		"SELECT a.range AS x, b.range AS y FROM range(100000000) a, range(1000) b")
	if code != 0 || !strings.Contains(out, "(first 10 rows shown") {
		t.Errorf("cross join under --max-rows 10: exit %d\n%s%s", code, out, errOut)
	}
	// An ordered query keeps its order under the limit.
	out, _, _ = runCLI(t, "sql", "--db", db, "--max-rows", "3", "SELECT range AS x FROM range(10) ORDER BY x DESC")
	if !strings.Contains(out, "9\n8\n7\n") && !strings.Contains(out, " 9\n 8\n 7\n") {
		t.Errorf("ordered query under the limit:\n%s", out)
	}
	// A query that needs more memory than allowed says so.
	_, errOut, code = runCLI(t, "sql", "--db", db, "--memory-limit", "32MiB", "--max-rows", "0",
		"SELECT count(DISTINCT a.range * 1000 + b.range) FROM range(3000000) a, range(10) b")
	if code != ExitError || !strings.Contains(errOut, "needs more memory than this session may use (32MiB)") ||
		!strings.Contains(errOut, "hint: narrow the query") {
		t.Errorf("query over the memory limit: exit %d\n%s", code, errOut)
	}
	// The default is a quarter of RAM, not DuckDB's 80%.
	setting := func(args ...string) string {
		out, errOut, code := runCLI(t, append([]string{"sql", "--db", db, "--format", "csv"}, append(args,
			"SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t")...)...)
		if code != 0 {
			t.Fatalf("sql: %s", errOut)
		}
		return out
	}
	def, quarter, duck := setting(), setting("--memory-limit", defaultMemoryLimit()), setting("--memory-limit", "")
	mem := func(s string) string { return strings.SplitN(strings.Split(s, "\n")[1], ",", 2)[0] }
	if defaultMemoryLimit() == "" || mem(def) != mem(quarter) || mem(def) == mem(duck) {
		t.Errorf("default memory limit %q, want a quarter of RAM %q (DuckDB's own: %q)", mem(def), mem(quarter), mem(duck))
	}
	tmp := strings.TrimSpace(strings.SplitN(strings.Split(def, "\n")[1], ",", 2)[1])
	if !strings.Contains(tmp, "innowatch-sql-") {
		t.Errorf("temp_directory %q, want a private innowatch-sql-* folder", tmp)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("the session's temporary folder %s is left behind (%v)", tmp, err)
	}
}

// TestSQLWriteNeedsAReasonAndKeepsARecord reproduces issue 15 item 10:
// `sql --write` needed only the flag, then allowed an UPDATE of 198 facts
// with no vintage left. Now it needs a reason, records every statement with
// its row count in the run history, and refuses changes to the facts, loads
// and lineage (corrections enter as new vintages through ingest).
func TestSQLWriteNeedsAReasonAndKeepsARecord(t *testing.T) {
	db := freshWarehouse(t)
	if _, errOut, code := runCLI(t, "sql", "--db", db, "--write", "DELETE FROM targets"); code != ExitUsage || !strings.Contains(errOut, "--write needs --reason") {
		t.Errorf("--write without a reason: exit %d %s", code, errOut)
	}
	facts := queryFloat(t, db, "SELECT sum(value) FROM facts")
	for _, stmt := range []string{
		"UPDATE facts SET value = value * 2 WHERE region_code = '371302'",
		"DELETE FROM main.loads",
		"WITH x AS (SELECT 1) DELETE FROM load_warnings",
		"DROP VIEW fact_lineage",
		"UPDATE runs SET status = 'succeeded'",
		"SELECT 1; TRUNCATE facts",
	} {
		_, errOut, code := runCLI(t, "sql", "--db", db, "--write", "--reason", "试一下", stmt)
		if code != ExitError || !strings.Contains(errOut, "refused:") || !strings.Contains(errOut, "innowatch ingest") {
			t.Errorf("%s: exit %d, %s; want refused, pointing to ingest", stmt, code, errOut)
		}
	}
	if got := queryFloat(t, db, "SELECT sum(value) FROM facts"); got != facts {
		t.Errorf("facts changed: sum %v, want %v", got, facts)
	}
	// The rows the UPDATE below changes, counted beforehand.
	want := queryFloat(t, db, "SELECT count(*) FROM targets WHERE indicator = 'platforms'")
	_, errOut, code := runCLI(t, "sql", "--db", db, "--write", "--reason", "平台目标作废",
		"UPDATE targets SET description_zh = description_zh || '（作废）' WHERE indicator = 'platforms'; SELECT count(*) FROM targets")
	if code != 0 {
		t.Fatalf("maintenance session: exit %d %s", code, errOut)
	}
	recorded := queryFloat(t, db, `SELECT count(*) FROM maintenance_statements m JOIN runs r ON r.id = m.run_id
		WHERE r.kind = 'sql' AND json_extract_string(r.details, '$.reason') = '平台目标作废'
		  AND ((m.seq = 1 AND m.statement LIKE 'UPDATE targets%' AND m.rows = ?) OR (m.seq = 2 AND m.rows = 1))`, want)
	if want == 0 || recorded != 2 {
		t.Errorf("recorded statements matching: %v, want 2 (the UPDATE of %v rows and the SELECT)", recorded, want)
	}
	if got := queryFloat(t, db, `SELECT CAST(json_extract_string(details, '$.statements') AS INTEGER) FROM runs
		WHERE kind = 'sql' AND status = 'succeeded'`); got != 2 {
		t.Errorf("details.statements = %v, want 2", got)
	}
}

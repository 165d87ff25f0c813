package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func runCLIStdin(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// TestSQLRefusesWithPlainExplanation tries every kind of statement that
// writes, reads files, attaches, loads extensions or changes settings. Each
// is refused before it runs, with what was refused, where, and what to do.
func TestSQLRefusesWithPlainExplanation(t *testing.T) {
	db := sampleWarehouse(t)
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.csv")
	os.WriteFile(secret, []byte("a\n1\n"), 0o644)
	outFile := filepath.Join(dir, "out.csv")
	facts := queryFloat(t, db, "SELECT count(*) FROM facts")
	tests := []struct {
		query string
		want  []string // in the message, in order
	}{
		{"DELETE FROM facts", []string{"refused: DELETE changes data", "line 1, column 1", "hint: the console is read-only", "innowatch sql --write"}},
		{"INSERT INTO regions VALUES ('1', 'x', NULL, 'city', NULL, NULL, NULL, 0)", []string{"refused: INSERT changes data"}},
		{"UPDATE facts SET value = 0", []string{"refused: UPDATE changes data"}},
		{"CREATE TABLE x AS SELECT 1", []string{"refused: CREATE changes the schema", "WITH name AS (SELECT …)"}},
		{"CREATE TEMP TABLE x AS SELECT 1", []string{"refused: CREATE changes the schema"}},
		{"DROP TABLE county_vs_province", []string{"refused: DROP removes a table or view"}},
		{"ALTER TABLE facts ADD COLUMN x INTEGER", []string{"refused: ALTER changes the schema"}},
		{"TRUNCATE facts", []string{"refused: TRUNCATE deletes data"}},
		{"WITH d AS (SELECT 1) DELETE FROM facts", []string{"refused: DELETE changes data", "line 1, column 22"}},
		{"SELECT * FROM read_csv('" + secret + "')", []string{"refused: read_csv() reads files", "line 1, column 15", "hint: files enter the warehouse through `innowatch ingest FILE`"}},
		{"SELECT * FROM '" + secret + "'", []string{"refused: FROM '" + secret + "' reads a file"}},
		{"SELECT count(*) FROM read_parquet('/tmp/*.parquet')", []string{"refused: read_parquet() reads files"}},
		{"SELECT * FROM glob('/etc/*')", []string{"refused: glob() reads files"}},
		{"SELECT content FROM read_text('/etc/passwd')", []string{"refused: read_text() reads files"}},
		{"SELECT * FROM facts WHERE region_code IN (SELECT a FROM read_csv('" + secret + "'))", []string{"refused: read_csv() reads files", "line 1, column 57"}},
		{"COPY (SELECT 1) TO '" + outFile + "'", []string{"refused: COPY … TO writes a file", "hint: save a result with `innowatch sql --format"}},
		{"COPY facts FROM '" + secret + "'", []string{"refused: COPY … FROM reads a file"}},
		{"EXPORT DATABASE '" + dir + "'", []string{"refused: EXPORT DATABASE writes files", "innowatch export"}},
		{"ATTACH '" + filepath.Join(dir, "other.duckdb") + "' AS o", []string{"refused: ATTACH opens another database file"}},
		{"DETACH o", []string{"refused: DETACH"}},
		{"INSTALL httpfs", []string{"refused: INSTALL downloads an extension", "json, parquet and icu are built in"}},
		{"LOAD httpfs", []string{"refused: LOAD loads an extension"}},
		{"SET enable_external_access = true", []string{"refused: SET changes a setting", "--timeout and --max-rows"}},
		{"RESET threads", []string{"refused: RESET changes a setting"}},
		{"PRAGMA enable_profiling", []string{"refused: this PRAGMA changes a setting"}},
		{"CALL checkpoint()", []string{"refused: checkpoint() changes the session or the database"}},
		{"CHECKPOINT", []string{"refused: CHECKPOINT writes the database file"}},
		{"SELECT setseed(0.5)", []string{"refused: setseed() changes the session"}},
		{"SELECT * FROM query('SELECT 1')", []string{"refused: query() runs SQL given as text"}},
		{"EXPLAIN SELECT * FROM read_json('x.json')", []string{"refused: read_json() reads files"}},
		{"BEGIN TRANSACTION", []string{"refused: transaction control is not needed here"}},
		{"SELECT 1;\nSELECT 2;\nDROP TABLE facts", []string{"statement 3 of 3: refused: DROP", "line 3, column 1"}},
	}
	if len(tests) < 15 {
		t.Fatalf("only %d refusals tested", len(tests))
	}
	for _, tt := range tests {
		out, errOut, code := runCLI(t, "sql", "--db", db, tt.query)
		if code != ExitError {
			t.Errorf("%q: exit %d, want %d\nstdout:\n%s", tt.query, code, ExitError, out)
			continue
		}
		if out != "" {
			t.Errorf("%q: ran something before refusing:\n%s", tt.query, out)
		}
		rest := errOut
		for _, w := range tt.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%q: message lacks %q (in order):\n%s", tt.query, w, errOut)
				break
			}
			rest = rest[i+len(w):]
		}
	}
	if _, err := os.Stat(outFile); err == nil {
		t.Error("COPY TO wrote a file")
	}
	if got := queryFloat(t, db, "SELECT count(*) FROM facts"); got != facts {
		t.Errorf("facts: %v rows after the refusals, want %v", got, facts)
	}
}

// TestSQLAllowsReadingStatements: the statements that only read run.
func TestSQLAllowsReadingStatements(t *testing.T) {
	db := sampleWarehouse(t)
	for _, q := range []string{
		"SELECT 1 AS one",
		"FROM regions LIMIT 1",
		"WITH x AS (SELECT 2 AS two) SELECT * FROM x",
		"DESCRIBE facts",
		"SHOW TABLES",
		"SUMMARIZE SELECT value FROM facts",
		"EXPLAIN SELECT * FROM facts",
		"PRAGMA table_info('regions')",
		"CALL pragma_table_info('regions')",
		"SELECT * FROM duckdb_tables()",
		"VALUES (1), (2)",
	} {
		if out, errOut, code := runCLI(t, "sql", "--db", db, q); code != 0 {
			t.Errorf("%q: exit %d\n%s%s", q, code, out, errOut)
		}
	}
}

func TestSQLErrorsShowThePosition(t *testing.T) {
	db := sampleWarehouse(t)
	tests := []struct{ query, want string }{
		{"SELECT 1;\nSELEC region_code FROM regions", "statement 2 of 2: syntax error at or near \"SELEC\" at line 2, column 1: \n2 | SELEC region_code FROM regions\n  | ^\n"},
		{"SELECT 1 FRM regions", "syntax error at or near \"regions\" at line 1, column 14: \n1 | SELECT 1 FRM regions\n  |              ^\n"},
		// DuckDB's own binder error, its LINE counted in the whole script.
		{"SELECT 1;\n\nSELECT no_such_column\nFROM regions", "LINE 3: SELECT no_such_column"},
		{"SELECT 名称 FROM regions", "Referenced column \"名称\" not found"},
	}
	for _, tt := range tests {
		_, errOut, code := runCLI(t, "sql", "--db", db, tt.query)
		if code != ExitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, stderr:\n%s\nwant it to contain:\n%s", tt.query, code, errOut, tt.want)
		}
	}
}

func TestSQLInputs(t *testing.T) {
	db := sampleWarehouse(t)
	q := "SELECT name FROM regions WHERE code = '371302';\nSELECT count(*) AS n FROM regions WHERE parent_code = '371300' AND level = 'county';\n"
	want := "name\n──────\n兰山区\n(1 row)\n n\n──\n12\n(1 row)\n"
	file := filepath.Join(t.TempDir(), "q.sql")
	os.WriteFile(file, []byte(q), 0o644)
	for name, args := range map[string][]string{
		"argument": {"sql", "--db", db, q},
		"dash":     {"sql", "--db", db, "-"},
		"stdin":    {"sql", "--db", db},
		"file":     {"sql", "--db", db, "-f", file},
	} {
		out, errOut, code := runCLIStdin(t, q, args...)
		if code != 0 || out != want {
			t.Errorf("%s: exit %d, stdout:\n%s\nwant:\n%s\nstderr: %s", name, code, out, want, errOut)
		}
	}
	if _, errOut, code := runCLIStdin(t, "  -- nothing\n", "sql", "--db", db); code != ExitError || !strings.Contains(errOut, "empty query") {
		t.Errorf("empty script: exit %d, %s", code, errOut)
	}
}

// TestSQLParamsAreBound: values are DuckDB parameters typed from the query,
// so a value holding SQL stays a value.
func TestSQLParamsAreBound(t *testing.T) {
	db := sampleWarehouse(t)
	q := "SELECT count(*) AS n FROM county_vs_province WHERE period = $period AND indicator = $ind"
	tests := []struct {
		args    []string
		code    int
		want    string
		wantErr string
	}{
		{[]string{"--param", "period=2020", "--param", "ind=rd_intensity"}, 0, "14\n", ""},
		{[]string{"--param", "period=2020' OR '1'='1", "--param", "ind=rd_intensity"}, 0, "\n0\n(1 row)", ""},
		{[]string{"--param", "period=2020"}, ExitError, "", "the query uses $ind but no value was given"},
		{[]string{"--param", "period=2020", "--param", "ind=gdp", "--param", "yaer=2020"}, ExitError, "", "--param yaer not used by the query"},
		{[]string{"--param", "period"}, ExitUsage, "", "bad --param \"period\": write name=value"},
	}
	for _, tt := range tests {
		out, errOut, code := runCLI(t, append([]string{"sql", "--db", db, q}, tt.args...)...)
		if code != tt.code || !strings.Contains(out, tt.want) || !strings.Contains(errOut, tt.wantErr) {
			t.Errorf("%v: exit %d (want %d)\nstdout:\n%s\nstderr:\n%s\nwant %q / %q", tt.args, code, tt.code, out, errOut, tt.want, tt.wantErr)
		}
	}
	// An INTEGER column: the value is converted, or refused with the type.
	out, _, code := runCLI(t, "sql", "--db", db, "SELECT count(*) AS n FROM indicator_values WHERE year = $1 AND indicator = $2", "--param", "1=2020", "--param", "2=gdp")
	if want := queryFloat(t, db, "SELECT count(*) FROM indicator_values WHERE year = 2020 AND indicator = 'gdp'"); code != 0 || want == 0 || !strings.Contains(out, strconv.Itoa(int(want))+"\n(1 row)") {
		t.Errorf("positional params: exit %d\n%s (want %v)", code, out, want)
	}
	_, errOut, code := runCLI(t, "sql", "--db", db, "SELECT count(*) FROM indicator_values WHERE year = $y", "--param", "y=二〇二〇")
	if code != ExitError || !strings.Contains(errOut, "--param y=二〇二〇: expected a whole number") {
		t.Errorf("bad integer param: exit %d, %s", code, errOut)
	}
}

func TestSQLLimits(t *testing.T) {
	db := sampleWarehouse(t)
	out, _, code := runCLI(t, "sql", "--db", db, "--max-rows", "3", "SELECT range AS i FROM range(10)")
	if want := "i\n─\n0\n1\n2\n(first 3 rows shown; raise --max-rows, 0 = no limit)\n"; code != 0 || out != want {
		t.Errorf("max-rows on screen: exit %d\n%s\nwant\n%s", code, out, want)
	}
	file := filepath.Join(t.TempDir(), "r.csv")
	_, errOut, code := runCLI(t, "sql", "--db", db, "--max-rows", "3", "-o", file, "SELECT range AS i FROM range(10)")
	if code != ExitError || !strings.Contains(errOut, "the result has more than 3 rows; nothing was written") {
		t.Errorf("max-rows to a file: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("a truncated result was written to a file")
	}
	_, errOut, code = runCLI(t, "sql", "--db", db, "--timeout", "300ms", "SELECT count(*) FROM range(100000000) a, range(100000) b")
	if code != ExitError || !strings.Contains(errOut, "the query was stopped after 300ms") || !strings.Contains(errOut, "hint: raise --timeout") {
		t.Errorf("timeout: exit %d, %s", code, errOut)
	}
}

// TestSQLWhileAWriterHoldsTheWarehouse: reading works at any time (the
// serving copy), and --write explains the lock instead of failing cryptically.
func TestSQLWhileAWriterHoldsTheWarehouse(t *testing.T) {
	db := freshWarehouse(t)
	release := holdLock(t, db)
	defer release()
	out, errOut, code := runCLI(t, "sql", "--db", db, "SELECT count(*) AS n FROM regions WHERE code = '371300'")
	if code != 0 || !strings.Contains(out, "1\n(1 row)") {
		t.Errorf("read while held: exit %d\n%s%s", code, out, errOut)
	}
	_, errOut, code = runCLI(t, "sql", "--db", db, "--write", "--reason", "test", "DELETE FROM targets")
	for _, want := range []string{"is in use by", "(PID ", "hint: a writer (run, ingest, build or the scheduler) holds the file"} {
		if code != ExitError || !strings.Contains(errOut, want) {
			t.Errorf("--write while held: exit %d, stderr lacks %q:\n%s", code, want, errOut)
		}
	}
}

// TestSQLWriteIsAMaintenanceSession: --write changes the warehouse, is a
// recorded run, and publishes a new serving copy; files stay out of reach.
func TestSQLWriteIsAMaintenanceSession(t *testing.T) {
	db := freshWarehouse(t)
	before := queryFloat(t, db, "SELECT count(*) FROM targets")
	if before == 0 {
		t.Fatal("the sample has no targets")
	}
	out, errOut, code := runCLI(t, "sql", "--db", db, "--write", "--reason", "平台目标作废", "DELETE FROM targets WHERE indicator = 'platforms'")
	if code != 0 {
		t.Fatalf("--write: exit %d\n%s%s", code, out, errOut)
	}
	deleted := before - queryFloat(t, db, "SELECT count(*) FROM targets")
	if deleted == 0 {
		t.Error("--write deleted nothing")
	}
	out, _, _ = runCLI(t, "sql", "--db", db, "SELECT count(*) AS n FROM targets WHERE indicator = 'platforms'")
	if !strings.Contains(out, "0\n(1 row)") {
		t.Errorf("the serving copy does not show the change:\n%s", out)
	}
	if got := queryFloat(t, db, "SELECT count(*) FROM runs WHERE kind = 'sql' AND status = 'succeeded'"); got != 1 {
		t.Errorf("%v succeeded sql runs recorded, want 1", got)
	}
	_, errOut, code = runCLI(t, "sql", "--db", db, "--write", "--reason", "test", "COPY targets TO '"+filepath.Join(t.TempDir(), "t.csv")+"'")
	if code != ExitError || !strings.Contains(errOut, "file system operations are disabled") {
		t.Errorf("--write COPY TO: exit %d, %s", code, errOut)
	}
}

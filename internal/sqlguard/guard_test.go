package sqlguard

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// The guard judges statements against DuckDB's parser; the session here is
// sandboxed as the console's is. (The end-to-end refusals, with their
// hints, are tested through `innowatch sql` in cmd/innowatch.)
func TestCheck(t *testing.T) {
	db, err := sql.Open("duckdb", "?enable_external_access=false&lock_configuration=true")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	tests := []struct {
		script string
		want   error // nil: allowed
		msg    string
	}{
		{"SELECT 1", nil, ""},
		{"SELECT * FROM range(3) WHERE range = $1", nil, ""},
		{"SELECT * FROM (FROM glob('/x'))", ErrRefused, "glob() reads files (the console only reads the warehouse) at line 1, column 21"},
		{"SELECT read_csv_thing FROM t", nil, ""}, // a column, not a function
		{"SELECT * FROM my_read_scan()", ErrRefused, "my_read_scan() reads files"},
		{"SELECT * FROM \"data.parquet\"", ErrRefused, "FROM 'data.parquet' reads a file"},
		{"SELECT * FROM facts_2020", nil, ""},
		{"  \n  DELETE FROM t", ErrRefused, "DELETE changes data (the console only reads the warehouse) at line 2, column 3"},
		{"SELEKT 1", ErrSyntax, "syntax error at or near \"SELEKT\" at line 1, column 1"},
		{"SELECT (1", ErrSyntax, "syntax error at end of input"},
		{"PRAGMA version", nil, ""},
		{"PRAGMA threads = 1", ErrRefused, "this PRAGMA changes a setting"},
		{"CALL duckdb_tables()", nil, ""},
		{"CALL query('SELECT 1')", ErrRefused, "query() runs SQL given as text"},
		{"EXPLAIN ANALYZE SELECT 1", nil, ""},
		{"EXPLAIN DELETE FROM t", ErrRefused, "DELETE changes data"},
		{"WITH t AS (SELECT 1) SELECT * FROM t", nil, ""},
		{"WITH t AS (DELETE FROM x RETURNING *) SELECT 1", ErrSyntax, ""},
		{"123", ErrRefused, "only queries can run here"},
	}
	for _, tt := range tests {
		st := Split(tt.script)
		if len(st) != 1 {
			t.Fatalf("%q: %d statements", tt.script, len(st))
		}
		err := Check(ctx, db, tt.script, st[0])
		if tt.want == nil {
			if err != nil {
				t.Errorf("%q: refused: %v", tt.script, err)
			}
			continue
		}
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%q: got %v, want %v containing %q", tt.script, err, tt.want, tt.msg)
		}
	}
}

func TestWriteTargets(t *testing.T) {
	tests := []struct {
		sql  string
		want []string
	}{
		{"UPDATE facts SET value = 0", []string{"facts"}},
		{`update main."facts" set value = 0 where region_code = '371302'`, []string{"facts"}},
		{"DELETE FROM warehouse.main.loads WHERE id = 3", []string{"loads"}},
		{"INSERT INTO targets SELECT * FROM facts", []string{"targets"}},
		{"INSERT INTO t VALUES (1) ON CONFLICT DO UPDATE SET v = 2", []string{"t"}},
		{"WITH x AS (SELECT 1) UPDATE load_warnings SET message = ''", []string{"load_warnings"}},
		{"TRUNCATE facts", []string{"facts"}},
		{"TRUNCATE TABLE facts", []string{"facts"}},
		{"DROP TABLE IF EXISTS fact_lineage", []string{"fact_lineage"}},
		{"ALTER TABLE facts RENAME TO f2", []string{"facts"}},
		{"CREATE OR REPLACE TABLE facts AS SELECT 1", []string{"facts"}},
		{"COMMENT ON COLUMN facts.value IS 'x'", []string{"facts"}},
		{"SELECT * FROM facts", nil},
		{"UPDATE tier_cutoffs SET top = 4", []string{"tier_cutoffs"}},
	}
	for _, tt := range tests {
		st := Split(tt.sql)
		if len(st) != 1 {
			t.Fatalf("%s: %d statements", tt.sql, len(st))
		}
		if got := st[0].WriteTargets(); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: targets %v, want %v", tt.sql, got, tt.want)
		}
	}
}

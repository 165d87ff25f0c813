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
// hints, are tested through `innowatch sql` in internal/cli.)
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

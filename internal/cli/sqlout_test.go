package cli

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

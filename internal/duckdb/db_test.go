package duckdb

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/linyi-sti/innowatch"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := openTemp(t)
	applied, err := db.Migrate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Errorf("second migrate applied %v, want nothing", applied)
	}
}

func TestCatalogFromWarehouse(t *testing.T) {
	db := openTemp(t)
	cat, err := db.LoadCatalog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(cat.Indicators()), 15; got != want {
		t.Errorf("indicators = %d, want %d", got, want)
	}
	rd, err := cat.Indicator("rd_expenditure")
	if err != nil {
		t.Fatal(err)
	}
	// 12,345 万元 = 1.2345 亿元
	got, err := cat.Convert(rd, 12345, "万元")
	if err != nil {
		t.Fatal(err)
	}
	if d := got - 1.2345; d > 1e-12 || d < -1e-12 {
		t.Errorf("12345 万元 = %v 亿元, want 1.2345", got)
	}
	if _, err := cat.Convert(rd, 1, "家"); !errors.Is(err, innowatch.ErrUnknownUnit) {
		t.Errorf("Convert with 家: err = %v, want ErrUnknownUnit", err)
	}
	in, _ := cat.Indicator("rd_intensity")
	if in.Numerator != "rd_expenditure" || in.Denominator != "gdp" || in.Scale != 100 || in.Kind != innowatch.KindRatio {
		t.Errorf("rd_intensity = %+v", in)
	}
	r, err := cat.RegionByName("高新区")
	if err != nil || r.Code != "371371" {
		t.Errorf("高新区 = %v, %v; want 371371", r.Code, err)
	}
	_, err = cat.RegionByName("兰山县")
	if !errors.Is(err, innowatch.ErrUnknownRegion) || innowatch.HintOf(err) == "" {
		t.Errorf("兰山县: err = %v (hint %q), want unknown region with a hint", err, innowatch.HintOf(err))
	}
}

func TestRecoverRunsMarksDeadRunsAborted(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	now := time.Date(2020, 11, 5, 9, 0, 0, 0, time.UTC)
	// A run row left by another (dead) process.
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO runs (kind, status, started_at, pid) VALUES ('build', 'running', ?, -1)`, now); err != nil {
		t.Fatal(err)
	}
	mine, err := db.StartRun(ctx, RunSpec{Kind: "ingest"}, now)
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.RecoverRuns(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("recovered %d runs, want 1", n)
	}
	var status string
	db.SQL().QueryRowContext(ctx, "SELECT status FROM runs WHERE id = ?", mine).Scan(&status)
	if status != "running" {
		t.Errorf("own run status = %q, want running", status)
	}
}

// TestLockErrorNamesHolder opens the warehouse from a child process (this
// test binary) while this process holds it.
func TestLockErrorNamesHolder(t *testing.T) {
	if p := os.Getenv("INNOWATCH_LOCK_CHILD"); p != "" {
		_, err := Open(context.Background(), p, Options{ReadOnly: true})
		if errors.Is(err, innowatch.ErrLocked) && innowatch.HintOf(err) != "" {
			os.Exit(0)
		}
		t.Logf("child: err = %v", err)
		os.Exit(3)
	}
	db := openTemp(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockErrorNamesHolder$")
	cmd.Env = append(os.Environ(), "INNOWATCH_LOCK_CHILD="+db.Path())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child did not see a translated lock error: %v\n%s", err, out)
	}
}

func TestPublishServing(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	var last string
	for run := int64(1); run <= 4; run++ {
		p, err := db.PublishServing(ctx, run)
		if err != nil {
			t.Fatal(err)
		}
		last = p
	}
	cur, err := ResolveServing(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	if cur != last {
		t.Errorf("current = %s, want %s", cur, last)
	}
	entries, _ := filepath.Glob(filepath.Join(ServingDir(db.Path()), "w-*.duckdb"))
	if len(entries) != keepServing {
		t.Errorf("copies kept = %v, want %d", entries, keepServing)
	}
	// The copy opens read-only while the writer still holds the warehouse.
	r, err := OpenServing(ctx, db.Path(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var n int
	if err := r.SQL().QueryRowContext(ctx, "SELECT count(*) FROM indicators").Scan(&n); err != nil || n != 15 {
		t.Errorf("serving copy: %d indicators, err %v", n, err)
	}
}

// A new warehouse takes every migration in one transaction (all or none);
// one that has some takes each of the others in its own.
func TestMigrateAllOrNoneOnANewWarehouse(t *testing.T) {
	ctx := context.Background()
	good := fstest.MapFS{
		"m/0001_a.sql": {Data: []byte("CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);")},
		"m/0002_b.sql": {Data: []byte("CREATE TABLE b (y INTEGER);")},
	}
	bad := fstest.MapFS{
		"m/0001_a.sql": good["m/0001_a.sql"],
		"m/0002_b.sql": good["m/0002_b.sql"],
		"m/0003_c.sql": {Data: []byte("CREATE TABLE c (z INTEGER); SELECT * FROM no_such_table;")},
	}
	tables := func(db *DB) []string {
		t.Helper()
		rows, err := db.SQL().QueryContext(ctx, "SELECT table_name FROM duckdb_tables() ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		return names
	}

	// New: the failing third migration takes the first two with it.
	fresh, err := Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	applied, err := fresh.migrate(ctx, bad, "m")
	if err == nil || !strings.Contains(err.Error(), "0003_c.sql") {
		t.Fatalf("migrate = %v, want the error of 0003_c.sql", err)
	}
	if len(applied) != 0 {
		t.Errorf("applied %v, want none", applied)
	}
	if got := tables(fresh); !slices.Equal(got, []string{"schema_migrations"}) {
		t.Errorf("tables after a failed first migrate = %v, want only schema_migrations", got)
	}

	// Existing: the first two stay applied, the third fails alone.
	old, err := Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if applied, err := old.migrate(ctx, fstest.MapFS{"m/0001_a.sql": good["m/0001_a.sql"]}, "m"); err != nil || len(applied) != 1 {
		t.Fatalf("first migrate = %v, %v", applied, err)
	}
	applied, err = old.migrate(ctx, bad, "m")
	if err == nil {
		t.Fatal("migrate of 0003_c.sql succeeded")
	}
	if !slices.Equal(applied, []string{"0002_b.sql"}) {
		t.Errorf("applied %v, want [0002_b.sql]", applied)
	}
	if got := tables(old); !slices.Equal(got, []string{"a", "b", "schema_migrations"}) {
		t.Errorf("tables = %v, want a, b, schema_migrations", got)
	}
	var n int
	if err := old.SQL().QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != 2 {
		t.Errorf("schema_migrations rows = %d (%v), want 2", n, err)
	}
}

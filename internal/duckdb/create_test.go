package duckdb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linyi-sti/innowatch"
)

// crashImage copies the files of an open warehouse as they are on disk: what
// a SIGKILL at this moment would leave (a commit is in the WAL on disk when
// it returns; the main file holds only what was checkpointed).
func crashImage(t *testing.T, db *DB) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "image.duckdb")
	for _, suffix := range []string{"", ".wal"} {
		b, err := os.ReadFile(db.Path() + suffix)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestMigratedWarehouseSurvivesAKill reproduces issue 15 item 1: a new
// warehouse killed after its migrations (before any checkpoint) could not be
// opened again — DuckDB 1.5 fails to replay 0020's ALTER TABLE loads ADD
// COLUMN (a table with a nextval() default) from the WAL: "Failure while
// replaying WAL file … GetDefaultDatabase with no default database set".
func TestMigratedWarehouseSurvivesAKill(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		open func(path string) (*DB, error)
	}{
		{"Open+Migrate", func(path string) (*DB, error) {
			db, err := Open(ctx, path, Options{})
			if err != nil {
				return nil, err
			}
			_, err = db.Migrate(ctx)
			return db, err
		}},
		{"OpenWriter", func(path string) (*DB, error) {
			db, _, err := OpenWriter(ctx, path, 0)
			return db, err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := tc.open(filepath.Join(t.TempDir(), "w.duckdb"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			// The first load of a new warehouse, as a fresh `innowatch run` does.
			if _, err := db.SQL().ExecContext(ctx, `INSERT INTO loads (run_id, file_name, file_hash, format, rows_read,
				facts_new, facts_revised, loaded_at, encoding, mapping, warnings) VALUES (1, 'a.csv', 'h', 'long_csv', 1, 1, 0, now(), 'utf-8', NULL, 0)`); err != nil {
				t.Fatal(err)
			}
			img := crashImage(t, db)
			again, err := Open(ctx, img, Options{})
			if err != nil {
				t.Fatalf("the warehouse as a kill leaves it does not open: %v", err)
			}
			defer again.Close()
			var n int
			if err := again.SQL().QueryRow("SELECT count(*) FROM loads WHERE encoding = 'utf-8'").Scan(&n); err != nil || n != 1 {
				t.Errorf("loads after the kill: %d rows (%v), want the 1 committed", n, err)
			}
		})
	}
}

// TestCreateLeavesOnlyACompleteWarehouse: a fresh warehouse appears whole
// (every migration applied, no WAL, no temporary file), and a second
// OpenWriter applies nothing.
func TestCreateLeavesOnlyACompleteWarehouse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	db, applied, err := OpenWriter(ctx, path, 0)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir("../../sql/migrations")
	if got, want := len(applied), len(entries); got != want {
		t.Errorf("applied %d migrations, want %d", got, want)
	}
	db.Close()
	names, _ := os.ReadDir(dir)
	var got []string
	for _, e := range names {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != "w.duckdb" {
		t.Errorf("files after creating the warehouse: %v, want only w.duckdb", got)
	}
	db, applied, err = OpenWriter(ctx, path, 0)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if len(applied) != 0 {
		t.Errorf("second open applied %v", applied)
	}
}

// TestDamagedWarehouseSaysHowToRestore reproduces issue 15 item 6: a
// corrupted warehouse gave raw DuckDB errors. Each kind of damage must say
// what happened and, when a serving copy exists, how to restore it.
func TestDamagedWarehouseSaysHowToRestore(t *testing.T) {
	ctx := context.Background()
	good := filepath.Join(t.TempDir(), "good.duckdb")
	if _, err := Create(ctx, good); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// An ALTER TABLE on a table with a nextval() default, only in the WAL:
	// the DuckDB 1.5 replay defect itself.
	unreplayable := func(p string) {
		db, err := Open(ctx, filepath.Join(t.TempDir(), "src.duckdb"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for _, s := range []string{"CREATE SEQUENCE s", "CREATE TABLE t (id BIGINT DEFAULT nextval('s'))",
			"ALTER TABLE t ADD COLUMN w INTEGER"} {
			if _, err := db.SQL().Exec(s); err != nil {
				t.Fatal(err)
			}
		}
		img := crashImage(t, db)
		for _, suffix := range []string{"", ".wal"} {
			b, _ := os.ReadFile(img + suffix)
			os.WriteFile(p+suffix, b, 0o644)
		}
	}
	tests := []struct {
		name   string
		damage func(p string)
	}{
		{"not a database", func(p string) { os.WriteFile(p, []byte("月报 — not a database\n"), 0o644) }},
		{"empty file", func(p string) { os.WriteFile(p, nil, 0o644) }},
		{"zeroed header", func(p string) {
			b := append([]byte(nil), data...)
			clear(b[:8192])
			os.WriteFile(p, b, 0o644)
		}},
		{"flipped block", func(p string) {
			b := append([]byte(nil), data...)
			for i := 20000; i < 30000 && i < len(b); i++ {
				b[i] ^= 0xff
			}
			os.WriteFile(p, b, 0o644)
		}},
		{"WAL that cannot be replayed", unreplayable},
	}
	for _, withCopy := range []bool{false, true} {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, "warehouse.duckdb")
				if withCopy {
					os.MkdirAll(filepath.Join(dir, "serving"), 0o755)
					os.WriteFile(filepath.Join(dir, "serving", "warehouse-000007.duckdb"), data, 0o444)
					os.WriteFile(filepath.Join(dir, "serving", "warehouse.current"), []byte("warehouse-000007.duckdb\n"), 0o644)
				}
				tc.damage(p)
				db, err := Open(ctx, p, Options{})
				if err == nil {
					db.Close()
					t.Fatal("a damaged warehouse opened")
				}
				if !errors.Is(err, ErrDamaged) {
					t.Fatalf("err = %v, want ErrDamaged", err)
				}
				hint := innowatch.HintOf(err)
				want := "no serving copy"
				if withCopy {
					want = "`innowatch restore --db " + p + "`"
					if !strings.Contains(hint, "warehouse-000007.duckdb is a complete, consistent copy of the warehouse as of run 7") {
						t.Errorf("hint does not say what the copy is: %s", hint)
					}
				}
				if !strings.Contains(hint, want) {
					t.Errorf("hint %q lacks %q", hint, want)
				}
			})
		}
	}
}

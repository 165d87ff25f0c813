package pipelines

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

var (
	catOnce sync.Once
	catVal  *innowatch.Catalog
	catErr  error
)

// testCatalog is the real catalog, read from a freshly migrated warehouse.
func testCatalog(t testing.TB) *innowatch.Catalog {
	t.Helper()
	catOnce.Do(func() {
		ctx := context.Background()
		dir, err := filepathTemp()
		if err != nil {
			catErr = err
			return
		}
		db, err := duckdb.Open(ctx, filepath.Join(dir, "catalog.duckdb"), duckdb.Options{})
		if err != nil {
			catErr = err
			return
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			catErr = err
			return
		}
		catVal, catErr = db.LoadCatalog(ctx)
	})
	if catErr != nil {
		t.Fatal(catErr)
	}
	return catVal
}

// testWarehouse is a fresh migrated warehouse with its catalog.
func testWarehouse(t testing.TB) (*duckdb.DB, *innowatch.Catalog) {
	t.Helper()
	ctx := context.Background()
	db, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return db, cat
}

// fixtureCopy copies a fixture into a temporary file (to change it in
// place) and returns its path and bytes.
func fixtureCopy(t *testing.T, fixture string) (string, []byte) {
	t.Helper()
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), filepath.Base(fixture))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

func filepathTemp() (string, error) { return os.MkdirTemp("", "innowatch-pipelines-") }

func mustPeriod(s string) innowatch.Period {
	p, err := ParsePeriodText(s)
	if err != nil {
		panic(err)
	}
	return p
}

package registers

import (
	"context"
	"fmt"
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

// testCatalog is the real catalog of a freshly migrated warehouse.
func testCatalog(t testing.TB) *innowatch.Catalog {
	t.Helper()
	catOnce.Do(func() {
		ctx := context.Background()
		db, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "cat.duckdb"), duckdb.Options{})
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

// code builds a valid USCC registered in region with serial n. The check
// character itself is tested on hand-computed codes in TestUSCCCheckChar.
func code(region string, n int) string {
	first := fmt.Sprintf("91%sMA%07d", region, n)
	c, ok := USCCCheckChar(first)
	if !ok {
		panic("bad test code " + first)
	}
	return first + string(c)
}

package bulletin

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/warehousetest"
)

// fixedNow is the clock of the loads and of every publication in tests.
func fixedNow() time.Time { return time.Date(2020, 11, 15, 2, 0, 0, 0, time.UTC) } // 10:00 in Beijing

var (
	sampleOnce sync.Once
	sampleFile string
	sampleErr  error
	sampleDir  string
)

// TestMain removes the shared sample warehouse after the package's tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(sampleDir)
	}
	os.Exit(code)
}

// sampleWarehouse is a copy of a warehouse loaded with the embedded sample
// and built by the real models. It is built once
// per test binary; every caller gets its own copy to write to.
func sampleWarehouse(t *testing.T) *duckdb.DB {
	t.Helper()
	sampleOnce.Do(func() { sampleFile, sampleErr = buildSample() })
	if sampleErr != nil {
		t.Fatalf("build the sample warehouse: %v", sampleErr)
	}
	dst := filepath.Join(t.TempDir(), "warehouse.duckdb")
	if err := copyFile(sampleFile, dst); err != nil {
		t.Fatal(err)
	}
	db, err := duckdb.Open(context.Background(), dst, duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func buildSample() (string, error) {
	dir, err := os.MkdirTemp("", "bulletin-sample-")
	if err != nil {
		return "", err
	}
	sampleDir = dir
	path := filepath.Join(dir, "warehouse.duckdb")
	return path, warehousetest.Build(context.Background(), path, true, fixedNow)
}

func copyFile(src, dst string) error { return warehousetest.CopyFile(src, dst) }

package dashboards

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

// Two warehouses are built once per test binary and copied for each test:
//
//   - empty: the real migrations and the real models built on no data, so
//     every mart exists with exactly the columns sql/models gives it (the
//     fixture inserts its hand-made rows into these tables);
//   - sample: the embedded sample ingested by the real pipelines and built
//     by the real models, as `innowatch run` does.

var (
	sharedDir  string
	sharedOnce = map[string]*sharedDB{"empty": {}, "sample": {}}
)

type sharedDB struct {
	once sync.Once
	file string
	err  error
}

// TestMain removes the shared warehouses after the package's tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// sampleLoadTime is when the sample is loaded in tests: 2021-01-20 10:00
// in Beijing.
func sampleLoadTime() time.Time { return time.Date(2021, 1, 20, 2, 0, 0, 0, time.UTC) }

// warehouseCopy opens a private copy of the shared warehouse kind ("empty"
// or "sample").
func warehouseCopy(t *testing.T, kind string) *duckdb.DB {
	t.Helper()
	s := sharedOnce[kind]
	s.once.Do(func() { s.file, s.err = buildShared(kind) })
	if s.err != nil {
		t.Fatalf("build the %s warehouse: %v", kind, s.err)
	}
	dst := filepath.Join(t.TempDir(), "warehouse.duckdb")
	if err := copyFile(s.file, dst); err != nil {
		t.Fatal(err)
	}
	db, err := duckdb.Open(context.Background(), dst, duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sharedMu guards sharedDir; the two kinds may be built by parallel tests.
var sharedMu sync.Mutex

func buildShared(kind string) (string, error) {
	ctx := context.Background()
	sharedMu.Lock()
	if sharedDir == "" {
		dir, err := os.MkdirTemp("", "dashboards-warehouses-")
		if err != nil {
			sharedMu.Unlock()
			return "", err
		}
		sharedDir = dir
	}
	path := filepath.Join(sharedDir, kind+".duckdb")
	sharedMu.Unlock()
	return path, warehousetest.Build(ctx, path, kind == "sample", sampleLoadTime)
}

func copyFile(src, dst string) error { return warehousetest.CopyFile(src, dst) }

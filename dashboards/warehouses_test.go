package dashboards

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines"
	"github.com/linyi-sti/innowatch/pipelines/sample"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
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
	db, err := duckdb.Open(ctx, path, duckdb.Options{})
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return "", err
	}
	if kind == "sample" {
		cat, err := db.LoadCatalog(ctx)
		if err != nil {
			return "", err
		}
		files, err := pipelines.FilesFromFS(sample.FS(), sample.SourcePrefix)
		if err != nil {
			return "", err
		}
		if _, err := pipelines.Ingest(ctx, &pipelines.Loader{DB: db, Now: sampleLoadTime}, cat, 1, files, pipelines.Options{}); err != nil {
			return "", err
		}
	}
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		return "", err
	}
	if ms, err = models.Order(ms); err != nil {
		return "", err
	}
	if _, err := (&models.Builder{DB: db, Models: ms}).Build(ctx); err != nil {
		return "", err
	}
	return path, db.Close()
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

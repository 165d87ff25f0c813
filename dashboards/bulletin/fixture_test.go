package bulletin

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
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "bulletin-sample-")
	if err != nil {
		return "", err
	}
	sampleDir = dir
	path := filepath.Join(dir, "warehouse.duckdb")
	db, err := duckdb.Open(ctx, path, duckdb.Options{})
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return "", err
	}
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		return "", err
	}
	files, err := pipelines.FilesFromFS(sample.FS(), sample.SourcePrefix)
	if err != nil {
		return "", err
	}
	if _, err := pipelines.Ingest(ctx, &pipelines.Loader{DB: db, Now: fixedNow}, cat, 1, files, pipelines.Options{}); err != nil {
		return "", err
	}
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
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

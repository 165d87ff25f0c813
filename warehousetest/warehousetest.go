// Package warehousetest builds real warehouses for the tests of the stages
// downstream of the models (site, bulletin, console): the migrations, the
// embedded sample loaded through the real pipeline, the real models built.
package warehousetest

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines"
	"github.com/linyi-sti/innowatch/pipelines/sample"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// Build creates the warehouse file at path: migrated, loaded with the
// embedded sample at time now when withSample, and built by the models.
func Build(ctx context.Context, path string, withSample bool, now func() time.Time) error {
	db, err := duckdb.Open(ctx, path, duckdb.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	if withSample {
		cat, err := db.LoadCatalog(ctx)
		if err != nil {
			return err
		}
		files, err := pipelines.FilesFromFS(sample.FS(), sample.SourcePrefix)
		if err != nil {
			return err
		}
		if _, err := pipelines.Ingest(ctx, &pipelines.Loader{DB: db, Now: now}, cat, 1, files, pipelines.Options{}); err != nil {
			return err
		}
	}
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		return err
	}
	if _, err := (&models.Builder{DB: db, Models: ms}).Build(ctx); err != nil {
		return err
	}
	return db.Close()
}

// CopyFile copies a built warehouse so each test writes its own.
func CopyFile(src, dst string) error {
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

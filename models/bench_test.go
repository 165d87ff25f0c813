package models_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines"
	"github.com/linyi-sti/innowatch/pipelines/sample"
)

// sampleWarehouse loads the built-in sample, as `innowatch run` does.
func sampleWarehouse(b *testing.B) *duckdb.DB {
	b.Helper()
	ctx := context.Background()
	db, err := duckdb.Open(ctx, filepath.Join(b.TempDir(), "w.duckdb"), duckdb.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		b.Fatal(err)
	}
	files, err := pipelines.FilesFromFS(sample.FS(), sample.SourcePrefix)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := pipelines.Ingest(ctx, &pipelines.Loader{DB: db, Now: time.Now}, cat, 1, files, pipelines.Options{}); err != nil {
		b.Fatal(err)
	}
	return db
}

// go test -run '^$' -bench Build -benchtime 20x ./models/
func BenchmarkBuildSample(b *testing.B) {
	ms, ts := embedded(b)
	for _, c := range []struct {
		name string
		opt  models.Builder
	}{
		{"full_refresh", models.Builder{FullRefresh: true}},
		{"unchanged", models.Builder{}},
		{"full_refresh_no_tests", models.Builder{FullRefresh: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			db := sampleWarehouse(b)
			bl := c.opt
			bl.DB, bl.Models = db, ms
			if c.name != "full_refresh_no_tests" {
				bl.Tests = ts
			}
			if _, err := bl.Build(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := bl.Build(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

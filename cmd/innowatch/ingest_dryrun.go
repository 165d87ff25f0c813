package main

import (
	"context"
	"errors"
	"os"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/pipelines"
)

// dryRunIngest validates files as ingest would, without the writer: it
// reads the catalog (and the city figures totals are checked against) from
// the serving copy, so it never takes the warehouse's lock and never blocks
// a job; it records no run, since nothing is loaded. Without a copy it uses
// the warehouse read-only when no job holds it, and without a warehouse the
// built-in catalog.
func (e *env) dryRunIngest(ctx context.Context, dbPath string, files []pipelines.File, opt pipelines.Options, accepts []string) error {
	db, err := openCatalogReader(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		return err
	}
	w := &work{db: db, cats: cat, details: map[string]any{}}
	return e.ingestAccepting(ctx, w, files, opt, accepts)
}

// openCatalogReader opens what a dry run reads: the serving copy, else the
// warehouse read-only, else an in-memory database with the migrations
// applied (the built-in catalog).
func openCatalogReader(ctx context.Context, dbPath string) (*duckdb.DB, error) {
	db, err := duckdb.OpenServing(ctx, dbPath, readerSettings)
	if err == nil || !errors.Is(err, innowatch.ErrNoServingCopy) {
		return db, err
	}
	if _, statErr := os.Stat(dbPath); statErr == nil {
		return duckdb.Open(ctx, dbPath, duckdb.Options{ReadOnly: true, Settings: readerSettings})
	}
	mem, err := duckdb.Open(ctx, duckdb.Memory, duckdb.Options{})
	if err != nil {
		return nil, err
	}
	if _, err := mem.Migrate(ctx); err != nil {
		mem.Close()
		return nil, err
	}
	return mem, nil
}

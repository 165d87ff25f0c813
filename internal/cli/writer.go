package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/pipelines/schedule"
)

// work is what a writer job hands its steps.
type work struct {
	db      *duckdb.DB
	cat     *innowatch.Catalog
	runID   int64
	details map[string]any
	// changed is set by steps that change what readers see (facts loaded,
	// models built, a bulletin published, the focus set): only then is a
	// new serving copy published.
	changed bool
}

// writer runs fn as one recorded run on the warehouse opened for writing:
// open, migrate, mark runs of dead processes aborted, record the run, do the
// work, record the outcome, publish the serving copy for readers, close. The
// file is held only for the duration of the job.
func (e *env) writer(ctx context.Context, dbPath, kind string, fn func(context.Context, *work) error) error {
	return e.writerRun(ctx, dbPath, duckdb.RunSpec{Kind: kind}, fn)
}

// writerRun is writer for a run described by spec (a scheduled job's name,
// trigger, slot and attempt). A run whose context was cancelled by a stop
// (not a timeout) is recorded as aborted.
func (e *env) writerRun(ctx context.Context, dbPath string, spec duckdb.RunSpec, fn func(context.Context, *work) error) (err error) {
	defer func() { err = duckdb.Explain(err, dbPath) }()
	db, err := duckdb.Open(ctx, dbPath, duckdb.Options{})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if n, err := db.RecoverRuns(ctx, e.now()); err != nil {
		return err
	} else if n > 0 {
		fmt.Fprintf(e.stderr, "note: %d earlier run(s) had not finished (crash or kill); marked aborted in the runs table\n", n)
	}
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		return err
	}
	runID, err := db.StartRun(ctx, spec, e.now())
	if err != nil {
		return err
	}
	w := &work{db: db, cat: cat, runID: runID, details: map[string]any{}, changed: len(applied) > 0}
	err = safely(func() error { return fn(ctx, w) })
	status := innowatch.RunSucceeded
	if err != nil {
		status = innowatch.RunFailed
		if schedule.Interrupted(ctx) {
			status = innowatch.RunAborted
		}
	}
	// Record the outcome even when ctx was cancelled (Ctrl-C).
	if ferr := db.FinishRun(context.WithoutCancel(ctx), runID, status, err, w.details, e.now()); ferr != nil && err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	if !w.changed {
		if _, err := duckdb.ResolveServing(dbPath); err == nil {
			return nil // readers' copy already holds everything this job could show them
		}
	}
	if _, err := db.PublishServing(ctx, runID); err != nil {
		// The work is committed, but readers would not see it: the run failed.
		ferr := db.FinishRun(context.WithoutCancel(ctx), runID, innowatch.RunFailed, err, w.details, e.now())
		return errors.Join(err, ferr)
	}
	return nil
}

// safely turns a panic in a job into an error: only main exits.
func safely(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v\n%s", p, debug.Stack())
		}
	}()
	return fn()
}

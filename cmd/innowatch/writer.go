package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/pipelines/schedule"
)

// work is what a writer job hands its steps.
type work struct {
	db *duckdb.DB
	// cats gives the warehouse's catalog, loaded the first time a step
	// asks (a run whose files are all unchanged never does).
	cats    innowatch.CatalogSource
	runID   int64
	details map[string]any
	// changed is set by steps that change what readers see (facts loaded,
	// models built, a bulletin published, the focus set): only then is a
	// new serving copy published.
	changed bool
	// partial is set by a step that did its job but left part of its input
	// undone (an inbox run that refused files): the run is recorded partial.
	partial bool
	// restore undoes, when the job ends, what a step changed in the
	// process for the rest of the job (DuckDB's allocator).
	restore []func() error
	// lean is set once the job's build runs the lean way (a small
	// warehouse, leanBuild): its render is then lean too (leanRender).
	lean bool
}

// catalog is the warehouse's catalog, loaded on first use.
func (w *work) catalog() (*innowatch.Catalog, error) { return w.cats.Catalog() }

// lockWait is how long a writer waits for a reader that holds the
// warehouse for a moment (innowatch runs, a check) before giving up.
const lockWait = 10 * time.Second

// writer runs fn as one recorded run on the warehouse opened for writing:
// open, migrate, mark runs of dead processes aborted, record the run, do the
// work, record the outcome, publish the serving copy for readers, close. The
// file is held only for the duration of the job.
func (e *env) writer(ctx context.Context, dbPath, kind string, fn func(context.Context, *work) error) error {
	return e.writerRun(ctx, dbPath, duckdb.RunSpec{Kind: kind}, fn)
}

// openJob opens the warehouse for a job and repairs what a writer that
// died left behind: its runs are marked aborted (or failed, from its
// journal), and the serving copy is brought up to the warehouse's last
// commit before anything else happens.
func (e *env) openJob(ctx context.Context, dbPath string) (_ *duckdb.DB, _ []string, err error) {
	db, applied, err := duckdb.OpenWriter(ctx, dbPath, lockWait)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	pending, err := duckdb.ReadPending(dbPath)
	if err != nil {
		return nil, nil, err
	}
	if n, err := db.RecoverRuns(ctx, e.now()); err != nil {
		return nil, nil, err
	} else if n > 0 {
		fmt.Fprintf(e.stderr, "note: %d earlier run(s) had not finished (crash or kill); marked aborted in the runs table\n", n)
	}
	if err := db.Reconcile(ctx, pending); err != nil {
		return nil, nil, err
	}
	stale, behind, err := db.ServingBehind(ctx)
	if err != nil {
		return nil, nil, err
	}
	if stale && len(applied) == 0 {
		tag, err := db.MaxRunID(ctx)
		if err != nil {
			return nil, nil, err
		}
		if tag > 0 {
			if _, perr := db.PublishServing(ctx, tag); perr != nil {
				// The job's own end publishes again (the copy is still behind).
				fmt.Fprintf(e.stderr, "note: the serving copy lacks the changes of run %d and could not be published now (%v); "+
					"this job publishes it when it ends\n", behind, duckdb.Explain(perr, dbPath))
			} else {
				fmt.Fprintf(e.stderr, "note: the serving copy lacked the changes of run %d (a job ended before publishing them); published them now\n", behind)
			}
		}
	}
	// The copy now holds every commit (or this job's end publishes it).
	if pending != nil {
		if err := duckdb.ClearPending(dbPath); err != nil {
			return nil, nil, err
		}
	}
	return db, applied, nil
}

// writerRun is writer for a run described by spec (a scheduled job's name,
// trigger, slot and attempt). A run whose context was cancelled by a stop
// (not a timeout) is recorded as aborted.
//
// The outcome is recorded truthfully: a run that changed what readers see
// is succeeded only once its serving copy is published; its changes are
// published even when a later step failed (they are committed); a command
// that exits non-zero is never left succeeded.
func (e *env) writerRun(ctx context.Context, dbPath string, spec duckdb.RunSpec, fn func(context.Context, *work) error) (err error) {
	db, applied, err := e.openJob(ctx, dbPath)
	if err != nil {
		return duckdb.Explain(err, dbPath)
	}
	closed := false
	defer func() {
		if !closed {
			db.Close()
		}
	}()
	cats := innowatch.LazyCatalog(func() (*innowatch.Catalog, error) {
		cat, err := db.LoadCatalog(ctx)
		return cat, duckdb.Explain(err, dbPath)
	})
	runID, err := db.StartRun(ctx, spec, e.now())
	if err != nil {
		return duckdb.Explain(err, dbPath)
	}
	host, _ := os.Hostname()
	journal := duckdb.Pending{Run: runID, Kind: spec.Kind, PID: os.Getpid(), Host: host, Started: e.now()}
	if err := duckdb.WritePending(dbPath, journal); err != nil {
		// Only readers' notes depend on it; the job goes on (and is recorded).
		fmt.Fprintf(e.stderr, "note: the writers' journal could not be written: %v\n", firstLine(err.Error()))
	}
	w := &work{db: db, cats: cats, runID: runID, details: map[string]any{}, changed: len(applied) > 0}
	defer func() {
		for _, r := range w.restore {
			if rerr := r(); rerr != nil {
				fmt.Fprintf(e.stderr, "note: %s\n", firstLine(rerr.Error()))
			}
		}
	}()
	err = safely(func() error { return fn(ctx, w) })
	err = duckdb.Explain(err, dbPath)
	status := innowatch.RunSucceeded
	switch {
	case err != nil && schedule.Interrupted(ctx):
		status = innowatch.RunAborted
	case err != nil:
		status = innowatch.RunFailed
	case w.partial:
		status = innowatch.RunPartial
	}
	w.details["changed"] = w.changed
	// Record the outcome and publish even when ctx was cancelled (Ctrl-C, a
	// stop): what is committed must reach readers.
	bg := context.WithoutCancel(ctx)
	publish := w.changed
	if !publish {
		stale, _, serr := db.ServingBehind(bg)
		if serr != nil {
			err = errors.Join(err, serr)
		}
		publish = stale
	}
	finish := func(st innowatch.RunStatus, runErr error) error {
		return db.FinishRun(bg, runID, st, runErr, w.details, e.now())
	}
	// also keeps the job's own error as the one reported; what failed after
	// it (often the same full disk) is noted on stderr, first lines only.
	also := func(more error) {
		if more == nil {
			return
		}
		if err == nil {
			err = more
			return
		}
		fmt.Fprintf(e.stderr, "note: then: %s\n", firstLine(more.Error()))
	}
	var unrecorded error // a failure the runs table could not take
	if ferr := finish(status, err); ferr != nil {
		also(ferr)
		unrecorded = err
	}
	if publish {
		if _, perr := db.PublishServing(bg, runID); perr != nil {
			perr = afterCommit(perr, dbPath)
			also(perr)
			if ferr := finish(innowatch.RunFailed, err); ferr != nil {
				unrecorded = err
			}
			journal.Unpublished = firstLine(perr.Error())
		}
	}
	// Close checkpoints: a failure there (a full disk) fails the run too.
	if cerr := db.Checkpoint(bg); cerr != nil {
		also(afterCommit(cerr, dbPath))
		if ferr := finish(innowatch.RunFailed, err); ferr != nil {
			unrecorded = err
		}
	}
	closed = true
	if cerr := db.Close(); cerr != nil {
		also(afterCommit(cerr, dbPath))
		unrecorded = err
	}
	if unrecorded != nil {
		journal.Unrecorded = firstLine(unrecorded.Error())
	}
	if journal.Unpublished != "" || journal.Unrecorded != "" {
		also(duckdb.WritePending(dbPath, journal))
	} else {
		also(duckdb.ClearPending(dbPath))
	}
	return err
}

// afterCommit explains a failure that came after the job's work was
// committed: nothing was rolled back, only the publication is missing.
func afterCommit(err error, dbPath string) error {
	if err == nil {
		return nil
	}
	if errors.Is(duckdb.Explain(err, dbPath), duckdb.ErrDiskFull) {
		return &innowatch.Error{
			Msg: "the disk is full",
			Hint: "the job's work is committed in the warehouse (nothing was rolled back); only the serving copy for readers " +
				"could not be written. Free space on the disk holding " + dbPath + " and run any job (for example " +
				"`innowatch build`): the next writer publishes it",
			Err: fmt.Errorf("%w: %v", duckdb.ErrDiskFull, err),
		}
	}
	return err
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

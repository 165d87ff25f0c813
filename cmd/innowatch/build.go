package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// buildOptions are the build command's flags; run builds with the zero value.
type buildOptions struct {
	fullRefresh bool
	selectors   []string
}

func newBuildCmd(e *env) *cobra.Command {
	var opt buildOptions
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the SQL models and run the data tests (all-or-nothing)",
		Long: `build runs the models in sql/models in dependency order, each under a
staging name (NAME__staging), then the data tests in sql/tests on them, then
swaps every staging name in inside one short transaction. A failing model or
a failing error-severity test drops the staging tables, so the previous marts
stay; so does a crash or a kill at any point.

A model whose SQL and inputs are unchanged since its last build is skipped
(the inputs are the tables it reads and the models upstream of it).

  innowatch build                               # what changed, and its dependents
  innowatch build --full-refresh                # everything
  innowatch build --select county_vs_province+  # a model and what depends on it
  innowatch build --select +target_progress     # a model and what it depends on`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			parseSQLAhead()
			return e.writer(cmd.Context(), dbFlag(cmd), "build", func(ctx context.Context, w *work) error {
				return e.buildModels(ctx, w, opt)
			})
		},
	}
	cmd.Flags().BoolVar(&opt.fullRefresh, "full-refresh", false, "rebuild every model, changed or not")
	cmd.Flags().StringSliceVar(&opt.selectors, "select", nil,
		"build only these models (always rebuilt): NAME, NAME+ (with dependents), +NAME (with upstream); repeatable or comma-separated")
	return cmd
}

// parsedSQL are the embedded models and data tests, parsed.
type parsedSQL struct {
	models  []*models.Model // in file order, as models.Load returns them
	ordered []*models.Model // in dependency order: the site's lineage graph
	tests   []*models.DataTest
}

// embeddedSQL parses the embedded models and data tests once a process (the
// binary holds the same files for its life; nothing changes a parsed model
// afterwards). A job that builds starts it while DuckDB opens the warehouse
// (parseSQLAhead): 5 ms of a 100 ms no-op run.
var embeddedSQL = sync.OnceValues(func() (parsedSQL, error) {
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		return parsedSQL{}, err
	}
	ordered, err := models.Order(ms)
	if err != nil {
		return parsedSQL{}, err
	}
	ts, err := models.LoadTests(sqlfiles.Tests, "tests")
	if err != nil {
		return parsedSQL{}, err
	}
	return parsedSQL{models: ms, ordered: ordered, tests: ts}, nil
})

// parseSQLAhead starts parsing the embedded SQL on another goroutine.
func parseSQLAhead() { go embeddedSQL() }

// buildModels builds the embedded models and runs the data tests, printing
// a line per model and per test.
func (e *env) buildModels(ctx context.Context, w *work, opt buildOptions) error {
	sqls, err := embeddedSQL()
	if err != nil {
		return err
	}
	ms, ts := sqls.models, sqls.tests
	start := time.Now()
	b := &models.Builder{DB: w.db, Models: ms, Tests: ts, FullRefresh: opt.fullRefresh, Select: opt.selectors,
		RunID: w.runID, Now: e.now,
		Progress: func(r models.ModelResult) {
			rows := "view"
			if r.Rows >= 0 {
				rows = fmt.Sprintf("%d rows", r.Rows)
			}
			took := ""
			if r.Status == models.Built {
				took = r.Duration.Round(time.Millisecond).String()
			}
			fmt.Fprintf(e.stdout, "%-10s %-28s %-5s %10s %6s  %s\n", r.Status, r.Name, r.Materialized, rows, took, r.Reason)
		},
		TestProgress: func(r models.TestResult) {
			if r.Passed() {
				fmt.Fprintf(e.stdout, "%-10s %-28s %-5s %10s %6s\n", "passed", r.Name, r.Severity, "0 rows", r.Duration.Round(time.Millisecond))
				return
			}
			if r.Severity == models.SeverityWarn {
				fmt.Fprintf(e.stdout, "%-10s %s", "warning", r.Report())
			}
		},
	}
	if err := e.leanBuild(ctx, w, b); err != nil {
		return err
	}
	res, err := b.Build(ctx)
	var built, skipped, passed, warned, failed int
	for _, m := range res.Models {
		if m.Status == models.Built {
			built++
		} else {
			skipped++
		}
	}
	for _, t := range res.Tests {
		switch {
		case t.Passed():
			passed++
		case t.Severity == models.SeverityWarn:
			warned++
		default:
			failed++
		}
	}
	w.details["models_built"] = built
	if built > 0 {
		w.changed = true
	}
	w.details["models_skipped"] = skipped
	w.details["tests_passed"] = passed
	w.details["tests_warned"] = warned
	w.details["tests_failed"] = failed
	if err != nil {
		return err
	}
	tests := fmt.Sprintf("tests: %d passed, %d warned", passed, warned)
	if n := len(res.TestsUnchanged); n > 0 && !res.TestsSkipped {
		tests += fmt.Sprintf(", %d not rerun (unchanged since they passed)", n)
	}
	if res.TestsSkipped {
		tests = "tests: not run (nothing changed since they last passed)"
	}
	w.details["tests_skipped"] = res.TestsSkipped
	fmt.Fprintf(e.stdout, "%-10s %d built, %d skipped; %s, in %s\n",
		"build", built, skipped, tests, time.Since(start).Round(time.Millisecond))
	return nil
}

// leanDecay is how long DuckDB's allocator keeps freed pages during a lean
// build: 0 (returned at once) lowered the city run's peak 25 MiB more than
// 50 ms but made it about 0.8 s slower (docs/PERFORMANCE.md, "the lean build").
const leanDecay = 50 * time.Millisecond

// leanRender sets up the render of a job whose build was lean and returns
// what undoes it, to call when the render ends. First DuckDB drops the
// blocks its buffer pool kept (every block the job read or wrote, 14 MiB
// at city scale; the render reads again only the marts it shows); then
// its allocator returns what the render's queries free at once (each
// query's result is materialised in DuckDB while it is read: 20–35 MiB of
// freed pages stayed for leanDecay); when the render is done its Go heap
// is returned before the run is recorded and published. City scale, run
// --data, 10 runs each: the process's peak 141.6–152.9 → 127.0–132.7 MiB
// for about 0.07 s of CPU (docs/PERFORMANCE.md, "fifth session"); GOGC 50
// while rendering instead of dropping the blocks saved less for twice the
// time.
func (e *env) leanRender(ctx context.Context, w *work) (done func()) {
	note := func(err error) {
		// Only memory is at stake: the render goes on.
		fmt.Fprintf(e.stderr, "note: %s\n", firstLine(err.Error()))
	}
	if err := w.db.ReleaseCache(ctx); err != nil {
		note(err)
	}
	restore, err := duckdb.ReturnFreedMemory(0)
	if err != nil {
		note(err)
		restore = nil
	}
	// The Go heap collected at half the usual growth while the marts are
	// read and the pages written (their live data ≈ 21–29 MB at city
	// scale): peak 134 → 130 MiB median for ≈ 0.07 s of CPU
	// (docs/PERFORMANCE.md, "sixth session"; the fifth session turned this
	// down when the run's time was the tighter goal).
	gcPercent := debug.SetGCPercent(renderGCPercent)
	return func() {
		debug.SetGCPercent(gcPercent)
		if restore != nil {
			if err := restore(); err != nil {
				note(err)
			}
		}
		debug.FreeOSMemory()
	}
}

// renderGCPercent is the Go collector's GOGC during a lean render.
const renderGCPercent = 50

// leanBuild sets up a small warehouse's build (models.SmallBuild) to need
// less memory: one DuckDB thread, a checkpoint every 10,000 rows built, the
// Go heap's idle pages returned first, DuckDB's allocator returning freed
// memory after leanDecay from the first model built to the end of the job
// (the render after the build included) and all it holds freed after each
// model; the job's render is then lean too (leanRender). City scale, run
// --data: peak 260–264 → 194–196 MiB; docs/PERFORMANCE.md, "the lean
// build". A build that skips every model changes nothing: a no-op run reads
// its fingerprints with every thread and keeps freed pages.
func (e *env) leanBuild(ctx context.Context, w *work, b *models.Builder) error {
	var facts int64
	if err := w.db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM facts").Scan(&facts); err != nil {
		return fmt.Errorf("count facts: %w", err)
	}
	if !models.SmallBuild(facts) {
		return nil
	}
	b.Threads, b.CheckpointRows = 1, models.SmallCheckpointRows
	b.BeforeBuild = func() error {
		w.details["lean_build"] = true
		w.lean = true
		// The Go heap the ingest grew (city: to about 30 MB, 7 MB live
		// after) is otherwise returned to the system only gradually by Go's
		// scavenger, so its idle pages stay resident through the models'
		// peak. One forced collection with a small heap: a few milliseconds.
		debug.FreeOSMemory()
		restore, err := duckdb.ReturnFreedMemory(leanDecay)
		if err != nil {
			// Only memory is at stake: the build goes on.
			fmt.Fprintf(e.stderr, "note: %s\n", firstLine(err.Error()))
			return nil
		}
		w.restore = append(w.restore, restore)
		return nil
	}
	// The pages a model's query freed are returned before the next model
	// runs rather than gradually over leanDecay, during which they added
	// to the next model's peak: city scale, the build's anonymous memory
	// 66–76 → 61–68 MiB for about 2 ms a model (docs/PERFORMANCE.md,
	// "fifth session").
	b.AfterModel = func() {
		if err := duckdb.PurgeAllocator(); err != nil {
			fmt.Fprintf(e.stderr, "note: return the memory a model freed: %s\n", firstLine(err.Error()))
		}
	}
	return nil
}

package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// Model build outcomes.
const (
	Built   = "built"
	Skipped = "skipped"
)

// ModelResult reports one model's build.
type ModelResult struct {
	Name         string
	Materialized string
	Status       string // built or skipped
	Reason       string // why: new, changed, full refresh, selected, unchanged, not selected
	Rows         int64  // for tables; -1 for views
	Duration     time.Duration
}

// Result is a whole build.
type Result struct {
	Models []ModelResult
	Tests  []TestResult // the tests that ran, in file order
	// TestsUnchanged names the tests not run again: they and what they read
	// are unchanged since they last passed. TestsSkipped: that was all of them.
	TestsUnchanged []string
	TestsSkipped   bool
}

// Builder builds models into the warehouse.
type Builder struct {
	DB     *duckdb.DB
	Models []*Model
	Tests  []*DataTest
	// FullRefresh rebuilds every (selected) model whatever its state.
	FullRefresh bool
	// Select restricts the build to the models the selectors name:
	// "name", "name+" (and its dependents), "+name" (and its upstream),
	// "+name+". Selected models are rebuilt; the others are left as they are.
	Select []string
	RunID  int64
	Now    func() time.Time
	// Progress and TestProgress, when set, are called as each model is
	// built and each test has run (inside the transaction: nothing is
	// visible to readers until all succeed).
	Progress     func(ModelResult)
	TestProgress func(TestResult)
	// Threads, when > 0, is DuckDB's threads setting while the models are
	// built (set back afterwards). One thread needs less working memory
	// per query (one set of partitions and hash tables instead of one per
	// thread); see SmallBuild.
	Threads int
	// CheckpointRows, when > 0, writes the table models to the file as soon
	// as those built since the last checkpoint hold that many rows (else all
	// of them after the last model): DuckDB then no longer holds the new
	// rows uncompressed in memory while the next models run. Each
	// checkpoint costs a write of the file's metadata and a sync (city
	// scale: 30–50 ms), so not one per small table.
	CheckpointRows int64
	// BeforeBuild, when set, is called once before the first model is
	// built, after the plan: a build that skips every model (a no-op run)
	// neither calls it nor changes the threads setting.
	BeforeBuild func() error
	// AfterModel, when set, is called after each model built (and its
	// checkpoint, if one is due), before the next one and before Progress
	// reports it: a lean build returns there the memory the model's query
	// freed, instead of carrying it into the next model's peak.
	AfterModel func()
}

// SmallCheckpointRows is the CheckpointRows of a small build.
const SmallCheckpointRows = 10_000

// SmallFacts is the number of facts up to which a build is small: its
// queries are short, so one thread costs little time, while their working
// memory, not the data, is what the process's peak is made of (city scale:
// 40,200 facts; national: 4.5 million). docs/PERFORMANCE.md, "the lean build".
const SmallFacts = 1_000_000

// SmallBuild reports whether a warehouse of facts facts is built the lean
// way: one DuckDB thread, a checkpoint every SmallCheckpointRows rows built,
// DuckDB's allocator returning freed memory at once.
func SmallBuild(facts int64) bool { return facts <= SmallFacts }

// Build builds the models in dependency order and runs the data tests,
// all-or-nothing without one long transaction:
//
//  1. each model to rebuild is created under its staging name
//     (NAME__staging), each in its own short transaction, reading its
//     rebuilt upstream models' staging names: committed, so DuckDB writes it
//     like any table instead of holding the whole build as transaction-local
//     data, and invisible to readers, who read the published names;
//  2. the data tests that read models run on the staging names;
//  3. one short transaction swaps every staging name in (drop the old table,
//     rename, comments, model states) and runs the tests that read no model
//     (the catalog checks) on the result.
//
// A failing model or error-severity test, or an error anywhere, drops the
// staging objects and leaves yesterday's marts as they were. A kill before
// the swap commits leaves staging objects only, which the next build drops
// first.
func (b *Builder) Build(ctx context.Context) (Result, error) {
	var res Result
	ordered, err := Order(b.Models)
	if err != nil {
		return res, err
	}
	selected, err := Select(ordered, b.Select)
	if err != nil {
		return res, err
	}
	now := b.Now
	if now == nil {
		now = time.Now
	}
	err = b.DB.Write(ctx, func(conn *sql.Conn) error {
		return b.build(ctx, conn, ordered, selected, now, &res)
	})
	return res, err
}

// setThreads applies b.Threads on conn once something is to be built (a
// build that skips every model reads the fingerprints with all threads) and
// returns what puts the previous setting back.
func (b *Builder) setThreads(ctx context.Context, conn *sql.Conn) (restore func(), err error) {
	if b.Threads <= 0 {
		return func() {}, nil
	}
	var prev int64
	if err := conn.QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&prev); err != nil {
		return nil, fmt.Errorf("read threads setting: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET threads = %d", b.Threads)); err != nil {
		return nil, fmt.Errorf("set threads: %w", err)
	}
	return func() { conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("SET threads = %d", prev)) }, nil
}

// stagingSuffix names a model's object while it is being built.
const stagingSuffix = "__staging"

// StagingName is the name model is built under before the swap.
func StagingName(model string) string { return model + stagingSuffix }

// planned is a model the build rebuilds.
type planned struct {
	model    *Model
	existing string // the kind of object under its name before the build
	state    string
	result   int // index in Result.Models
}

func (b *Builder) build(ctx context.Context, conn *sql.Conn, ordered []*Model, selected map[string]bool, now func() time.Time, res *Result) error {
	objs, err := loadObjects(ctx, conn)
	if err != nil {
		return err
	}
	// A build killed before its swap left staging objects: they are no
	// model's output, and the next build must not read them.
	if err := dropStaging(ctx, conn, ordered, objs); err != nil {
		return err
	}
	if err := checkReferences(ordered, b.Tests, objs); err != nil {
		return err
	}
	prev, err := loadStates(ctx, conn)
	if err != nil {
		return err
	}
	base, err := fingerprints(ctx, conn, baseRelations(ordered, b.Tests, objs), objs)
	if err != nil {
		return err
	}
	upstream := map[string]string{} // the state each model will have
	var todo []planned
	for _, m := range ordered {
		state := stateHash(m, base, upstream)
		p, built := prev[m.Name]
		r := ModelResult{Name: m.Name, Materialized: m.Materialized, Status: Built, Rows: -1}
		if built {
			r.Rows = p.rows
		}
		switch {
		case selected != nil && !selected[m.Name]:
			r.Status, r.Reason = Skipped, "not selected"
		case selected != nil:
			r.Reason = "selected"
		case b.FullRefresh:
			r.Reason = "full refresh"
		case !built || objs[m.Name].kind != m.Materialized || p.materialized != m.Materialized:
			r.Reason = "new"
		case p.stateHash != state:
			r.Reason = "changed"
		default:
			r.Status, r.Reason = Skipped, "unchanged"
		}
		if r.Status == Skipped {
			upstream[m.Name] = p.stateHash
		} else {
			upstream[m.Name] = state
			todo = append(todo, planned{model: m, existing: objs[m.Name].kind, state: state, result: len(res.Models)})
		}
		res.Models = append(res.Models, r)
	}
	if len(todo) > 0 {
		if b.BeforeBuild != nil {
			if err := b.BeforeBuild(); err != nil {
				return err
			}
		}
		restore, err := b.setThreads(ctx, conn)
		if err != nil {
			return err
		}
		defer restore()
	}
	rename := map[string]string{}
	for _, p := range todo {
		rename[p.model.Name] = StagingName(p.model.Name)
	}
	swapped := false
	defer func() {
		if !swapped {
			// Whatever failed, the staging objects go: the next build and
			// the readers' copy must not see them. Not ctx: it may be the
			// reason we are here.
			dropStaging(context.WithoutCancel(ctx), conn, ordered, nil)
		}
	}()
	built := 0
	var sinceCheckpoint int64 // rows of the tables built since the last checkpoint
	var shadows []string      // staging copies of views that are not rebuilt
	for i, r := range res.Models {
		if built < len(todo) && todo[built].result == i {
			p := todo[built]
			built++
			start := time.Now()
			n, err := buildStaging(ctx, conn, p.model, rename)
			if err != nil {
				return &innowatch.Error{
					Msg:  fmt.Sprintf("build model %s (%s)", p.model.Name, p.model.File),
					Hint: "fix the model's SQL; nothing was changed in the warehouse (the marts are the previous build's)",
					Err:  err,
				}
			}
			r.Rows, r.Duration = n, time.Since(start)
			res.Models[i] = r
			if b.CheckpointRows > 0 && n > 0 {
				sinceCheckpoint += n
				if sinceCheckpoint >= b.CheckpointRows {
					// Best effort, as the checkpoint after the last model.
					if _, err := conn.ExecContext(ctx, "CHECKPOINT"); err != nil {
						slog.Warn("checkpoint after building a model", "model", p.model.Name, "err", err)
					}
					sinceCheckpoint = 0
				}
			}
			if b.AfterModel != nil {
				b.AfterModel()
			}
		} else if m := ordered[i]; m.Materialized == View && readsAny(m, rename) {
			// A view that is not rebuilt (not selected) but reads a rebuilt
			// model shows the new rows once swapped in: the tests and the
			// models after it read it over the staging tables too, through
			// a staging copy the swap drops.
			if _, err := buildStaging(ctx, conn, m, rename); err != nil {
				return &innowatch.Error{
					Msg:  fmt.Sprintf("build model %s (%s) over its rebuilt upstream", m.Name, m.File),
					Hint: "rebuild it too (--select " + m.Name + "); nothing was changed in the warehouse (the marts are the previous build's)",
					Err:  err,
				}
			}
			rename[m.Name] = StagingName(m.Name)
			shadows = append(shadows, m.Name)
		}
		if b.Progress != nil {
			b.Progress(r)
		}
	}
	// Write the new tables to the file now rather than at the end: the
	// checkpoint must happen anyway, and the tests and the swap then read
	// compressed tables with statistics instead of the transaction log's
	// in-memory rows (unique_keys on indicator_values at national scale:
	// 5.9 s before a checkpoint, 1.0 s after). Best effort: a checkpoint
	// refused while another connection writes only costs time.
	if len(todo) > 0 {
		if _, err := conn.ExecContext(ctx, "CHECKPOINT"); err != nil {
			slog.Warn("checkpoint after building the staging tables", "err", err)
		}
	}
	// A test runs when it reads a model this build rebuilt, or when what it
	// reads changed since it last passed (every test on a full refresh). A
	// test of marts left as they were, on inputs unchanged since it passed,
	// could only repeat that.
	passed, err := loadTestStates(ctx, conn)
	if err != nil {
		return err
	}
	rebuilt := map[string]bool{}
	for _, p := range todo {
		rebuilt[p.model.Name] = true
	}
	testStates := map[string]string{}
	var toRun []*DataTest
	for _, t := range b.Tests {
		st := testHash(t, base, upstream)
		testStates[t.File] = st
		readsRebuilt := false
		for _, r := range t.Refs.Relations {
			r = strings.TrimPrefix(r, "main.")
			// model_state lists every model: a catalog check of the models
			// reads them all.
			readsRebuilt = readsRebuilt || rebuilt[r] || (r == "model_state" && len(todo) > 0)
		}
		if !b.FullRefresh && !readsRebuilt && passed[t.File] == st {
			res.TestsUnchanged = append(res.TestsUnchanged, t.Name)
			continue
		}
		toRun = append(toRun, t)
	}
	res.TestsSkipped = len(b.Tests) > 0 && len(toRun) == 0
	// Tests that read a model check the staging tables before the swap; the
	// others (catalog checks) run inside the swap, on what it publishes.
	isModel := map[string]bool{}
	for _, m := range ordered {
		isModel[m.Name] = true
	}
	var before, inSwap []*DataTest
	for _, t := range toRun {
		readsModel := false
		for _, r := range t.Refs.Relations {
			readsModel = readsModel || isModel[strings.TrimPrefix(r, "main.")]
		}
		if readsModel {
			before = append(before, t)
		} else {
			inSwap = append(inSwap, t)
		}
	}
	var tr testRun
	if err := tr.run(ctx, conn, before, rename, b.TestProgress); err != nil {
		res.Tests = tr.results
		return err
	}
	if len(todo) == 0 && len(toRun) == 0 {
		swapped = true
		return nil
	}
	err = duckdb.InTx(ctx, conn, func(tx *sql.Tx) error {
		for _, p := range todo {
			r := res.Models[p.result]
			if err := swapIn(ctx, tx, p.model, p.existing); err != nil {
				return fmt.Errorf("swap in model %s: %w", p.model.Name, err)
			}
			var rows any
			if r.Rows >= 0 {
				rows = r.Rows
			}
			if _, err := tx.ExecContext(ctx, query("state_upsert"), p.model.Name, p.model.Materialized, p.model.Hash, p.state, rows,
				now(), b.RunID, float64(r.Duration.Microseconds())/1000); err != nil {
				return fmt.Errorf("record model state %s: %w", p.model.Name, err)
			}
		}
		for _, v := range shadows {
			if _, err := tx.ExecContext(ctx, "DROP VIEW "+duckdb.Ident(StagingName(v))); err != nil {
				return fmt.Errorf("drop staging view %s: %w", v, err)
			}
		}
		if err := tr.run(ctx, tx, inSwap, nil, b.TestProgress); err != nil {
			return err
		}
		if err := tr.err(); err != nil {
			return err
		}
		for _, r := range tr.results {
			q, args := "DELETE FROM data_test_results WHERE test = ?", []any{r.File}
			if r.Passed() {
				q, args = "INSERT OR REPLACE INTO data_test_results VALUES (?, ?, ?, ?)", []any{r.File, testStates[r.File], now(), b.RunID}
			} // a warning with rows runs again next time, to be shown again
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("record data test %s: %w", r.Name, err)
			}
		}
		return nil
	})
	res.Tests = tr.ordered(b.Tests)
	if err != nil {
		return err
	}
	swapped = true
	return nil
}

// readsAny reports whether m depends on a model in rename.
func readsAny(m *Model, rename map[string]string) bool {
	for _, d := range m.Deps {
		if _, ok := rename[d]; ok {
			return true
		}
	}
	return false
}

// dropStaging drops the staging objects of ms that exist (all of them when
// objs is nil), each in its own statement.
func dropStaging(ctx context.Context, conn *sql.Conn, ms []*Model, objs catalogObjects) error {
	if objs == nil {
		var err error
		if objs, err = loadObjects(ctx, conn); err != nil {
			return err
		}
	}
	for _, m := range ms {
		o := objs[strings.ToLower(StagingName(m.Name))]
		if o.kind == "" || o.schema != "main" {
			continue
		}
		if _, err := conn.ExecContext(ctx, "DROP "+strings.ToUpper(o.kind)+" IF EXISTS "+duckdb.Ident(o.name)); err != nil {
			return fmt.Errorf("drop staging %s %s: %w", o.kind, o.name, err)
		}
	}
	return nil
}

// baseRelations lists the relations models and tests read that are not models.
func baseRelations(ms []*Model, ts []*DataTest, objs catalogObjects) []string {
	isModel := map[string]bool{}
	for _, m := range ms {
		isModel[m.Name] = true
	}
	seen := map[string]bool{}
	var out []string
	refs := make([]References, 0, len(ms)+len(ts))
	for _, m := range ms {
		refs = append(refs, m.Refs)
	}
	for _, t := range ts {
		refs = append(refs, t.Refs)
	}
	for _, rs := range refs {
		for _, r := range rs.Relations {
			if !isModel[r] && !seen[r] && objs[r].kind != "" {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	sort.Strings(out)
	return out
}

// testHash is what a data test's outcome depends on: its file, the states
// of the models and the fingerprints of the base relations it reads. For
// model_state (read before this build recorded its states) it is every
// model's state, which is what the table holds after the swap.
func testHash(t *DataTest, base, states map[string]string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\ntest %s %s\n%s\n", stateVersion, t.File, t.Severity, t.SQL)
	seen := map[string]bool{}
	var rels []string
	for _, r := range t.Refs.Relations {
		r = strings.TrimPrefix(r, "main.")
		if !seen[r] {
			seen[r] = true
			rels = append(rels, r)
		}
	}
	sort.Strings(rels)
	for _, r := range rels {
		switch s, isModel := states[r]; {
		case isModel:
			fmt.Fprintf(h, "model %s %s\n", r, s)
		case r == "model_state":
			for _, m := range sortedKeys(states) {
				fmt.Fprintf(h, "state %s %s\n", m, states[m])
			}
		default:
			fmt.Fprintf(h, "base %s %s\n", r, base[r])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// loadTestStates reads the state each test last passed on, by file.
func loadTestStates(ctx context.Context, q querier) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT test, state_hash FROM data_test_results")
	if err != nil {
		return nil, fmt.Errorf("read data test results: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var file, st string
		if err := rows.Scan(&file, &st); err != nil {
			return nil, fmt.Errorf("read data test results: %w", err)
		}
		out[file] = st
	}
	return out, rows.Err()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Select resolves selectors against the models: nil means all models.
func Select(ms []*Model, selectors []string) (map[string]bool, error) {
	if len(selectors) == 0 {
		return nil, nil
	}
	byName := map[string]*Model{}
	down := map[string][]string{}
	var names []string
	for _, m := range ms {
		byName[m.Name] = m
		names = append(names, m.Name)
		for _, d := range m.Deps {
			down[d] = append(down[d], m.Name)
		}
	}
	out := map[string]bool{}
	var walk func(name string, next func(string) []string)
	walk = func(name string, next func(string) []string) {
		for _, n := range next(name) {
			if !out[n] {
				out[n] = true
				walk(n, next)
			}
		}
	}
	for _, s := range selectors {
		s = strings.TrimSpace(s)
		name := strings.TrimSuffix(strings.TrimPrefix(s, "+"), "+")
		if byName[name] == nil {
			sort.Strings(names)
			return nil, &innowatch.Error{
				Msg:  fmt.Sprintf("select %q: no model named %q", s, name),
				Hint: "models: " + strings.Join(names, ", ") + "; write NAME, NAME+ (with its dependents) or +NAME (with its upstream)",
			}
		}
		out[name] = true
		if strings.HasSuffix(s, "+") {
			walk(name, func(n string) []string { return down[n] })
		}
		if strings.HasPrefix(s, "+") {
			walk(name, func(n string) []string { return byName[n].Deps })
		}
	}
	return out, nil
}

// buildStaging creates m under its staging name, reading the models in
// rename under theirs, in its own transaction. It returns the table's row
// count, or -1 for a view.
func buildStaging(ctx context.Context, conn *sql.Conn, m *Model, rename map[string]string) (int64, error) {
	staging := duckdb.Ident(StagingName(m.Name))
	kind := "VIEW"
	if m.Materialized == Table {
		kind = "TABLE"
	}
	// The model's text starts on the CREATE line, so line N in DuckDB's
	// error is line N of the file.
	create := "CREATE " + kind + " " + staging + " AS " + RenameRelations(m.SQL, rename)
	if m.Materialized == View {
		if _, err := conn.ExecContext(ctx, create); err != nil {
			return 0, err
		}
		return -1, nil
	}
	// A table keeps its comments when renamed: they are set here, outside
	// the swap, which then only drops and renames. One transaction with the
	// table: each COMMENT on its own would commit (a write of the WAL and
	// a sync) once per column: 242 commits for the 14 table models.
	var n int64
	err := duckdb.InTx(ctx, conn, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, create); err != nil {
			return err
		}
		if cs := comments(m, "TABLE", staging); cs != "" {
			if _, err := tx.ExecContext(ctx, cs); err != nil {
				return err
			}
		}
		// Not the CREATE's RowsAffected: DuckDB's driver reports 0 for it.
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM "+staging).Scan(&n)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// comments are the COMMENT statements of m's header for the object name.
func comments(m *Model, kind, name string) string {
	var qs []string
	if m.Description != "" {
		qs = append(qs, "COMMENT ON "+kind+" "+name+" IS "+duckdb.Literal(m.Description))
	}
	for _, c := range m.Columns {
		qs = append(qs, "COMMENT ON COLUMN "+name+"."+duckdb.Ident(c[0])+" IS "+duckdb.Literal(c[1]))
	}
	return strings.Join(qs, ";\n")
}

// swapIn replaces the object under m's name (of kind existing, "" for none)
// with its staging object, inside the swap transaction. A view is created
// again from the model's own SQL, so that it reads the published names.
func swapIn(ctx context.Context, tx *sql.Tx, m *Model, existing string) error {
	name := duckdb.Ident(m.Name)
	staging := duckdb.Ident(StagingName(m.Name))
	var qs []string
	if existing != "" && existing != m.Materialized {
		qs = append(qs, "DROP "+strings.ToUpper(existing)+" "+name)
	}
	if m.Materialized == Table {
		if existing == Table {
			qs = append(qs, "DROP TABLE "+name)
		}
		qs = append(qs, "ALTER TABLE "+staging+" RENAME TO "+name)
	} else {
		qs = append(qs, "DROP VIEW "+staging, "CREATE OR REPLACE VIEW "+name+" AS "+m.SQL)
		if cs := comments(m, "VIEW", name); cs != "" {
			qs = append(qs, cs)
		}
	}
	// One round trip; DuckDB stops at the first error.
	_, err := tx.ExecContext(ctx, strings.Join(qs, ";\n"))
	return err
}

// Describe lists models one per line, for --help style output.
func Describe(ms []*Model) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%-28s %-5s %s\n", m.Name, m.Materialized, m.Description)
	}
	return b.String()
}

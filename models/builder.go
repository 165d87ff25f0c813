package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
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
	Tests  []TestResult
	// TestsSkipped: no model was rebuilt and the tests and their inputs are
	// unchanged since they last passed.
	TestsSkipped bool
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
}

// Build builds the models in dependency order inside one transaction, then
// runs the data tests in the same transaction. Tables are created under a
// staging name and swapped in. A failing model or error-severity test rolls
// everything back, so yesterday's marts stay.
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
		return duckdb.InTx(ctx, conn, func(tx *sql.Tx) error {
			objs, err := loadObjects(ctx, tx)
			if err != nil {
				return err
			}
			if err := checkReferences(ordered, b.Tests, objs); err != nil {
				return err
			}
			prev, err := loadStates(ctx, tx)
			if err != nil {
				return err
			}
			base, err := fingerprints(ctx, tx, baseRelations(ordered, b.Tests, objs), objs)
			if err != nil {
				return err
			}
			upstream := map[string]string{} // the state each model now has
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
					start := time.Now()
					if r.Rows, err = buildOne(ctx, tx, m, objs[m.Name].kind); err != nil {
						return &innowatch.Error{
							Msg:  fmt.Sprintf("build model %s (%s)", m.Name, m.File),
							Hint: "fix the model's SQL; nothing was changed in the warehouse (the build was rolled back)",
							Err:  err,
						}
					}
					r.Duration = time.Since(start)
					var rows any
					if r.Rows >= 0 {
						rows = r.Rows
					}
					if _, err := tx.ExecContext(ctx, query("state_upsert"), m.Name, m.Materialized, m.Hash, state, rows,
						now(), b.RunID, float64(r.Duration.Microseconds())/1000); err != nil {
						return fmt.Errorf("record model state %s: %w", m.Name, err)
					}
					upstream[m.Name] = state
					objs[m.Name] = catalogObject{kind: m.Materialized, schema: "main", name: m.Name}
				}
				res.Models = append(res.Models, r)
				if b.Progress != nil {
					b.Progress(r)
				}
			}
			// The tests passed last time on exactly these models and inputs:
			// running them again could only repeat that.
			testsState := testsHash(b.Tests, base, upstream)
			var passed string
			if err := tx.QueryRowContext(ctx, "SELECT state_hash FROM data_test_state WHERE id = 1").Scan(&passed); err != nil && err != sql.ErrNoRows {
				return fmt.Errorf("read data test state: %w", err)
			}
			rebuilt := false
			for _, r := range res.Models {
				rebuilt = rebuilt || r.Status == Built
			}
			if passed == testsState && !rebuilt {
				res.TestsSkipped = true
				return nil
			}
			tests, err := runTests(ctx, tx, b.Tests, b.TestProgress)
			res.Tests = tests
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO data_test_state VALUES (1, ?, ?, ?)", testsState, now(), b.RunID); err != nil {
				return fmt.Errorf("record data test state: %w", err)
			}
			return nil
		})
	})
	return res, err
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

// testsHash is what the data tests' outcome depends on: their files, every
// model's state and the fingerprints of the base relations.
func testsHash(ts []*DataTest, base, states map[string]string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\ntests\n", stateVersion)
	for _, t := range ts {
		fmt.Fprintf(h, "test %s %s\n%s\n", t.File, t.Severity, t.SQL)
	}
	for _, m := range sortedKeys(states) {
		fmt.Fprintf(h, "model %s %s\n", m, states[m])
	}
	for _, r := range sortedKeys(base) {
		if r == "model_state" {
			continue // read before this build recorded its states; those are in states
		}
		fmt.Fprintf(h, "base %s %s\n", r, base[r])
	}
	return hex.EncodeToString(h.Sum(nil))
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

// buildOne materialises m; existing is the kind of object now under its name.
// It returns the table's row count, or -1 for a view.
func buildOne(ctx context.Context, tx *sql.Tx, m *Model, existing string) (int64, error) {
	name := duckdb.Ident(m.Name)
	staging := duckdb.Ident(m.Name + "__staging")
	var before, after []string
	if existing != "" && existing != m.Materialized {
		// The materialization changed: drop the old kind of object first.
		before = append(before, "DROP "+strings.ToUpper(existing)+" "+name)
	}
	create := "CREATE OR REPLACE VIEW " + name + " AS "
	kind := "VIEW"
	if m.Materialized == Table {
		before = append(before, "DROP TABLE IF EXISTS "+staging)
		create = "CREATE TABLE " + staging + " AS "
		kind = "TABLE"
		if existing == Table {
			after = append(after, "DROP TABLE "+name)
		}
		after = append(after, "ALTER TABLE "+staging+" RENAME TO "+name)
	}
	if m.Description != "" {
		after = append(after, "COMMENT ON "+kind+" "+name+" IS "+duckdb.Literal(m.Description))
	}
	for _, c := range m.Columns {
		after = append(after, "COMMENT ON COLUMN "+name+"."+duckdb.Ident(c[0])+" IS "+duckdb.Literal(c[1]))
	}
	// The model's text starts on the CREATE line, so line N in DuckDB's
	// error is line N of the file. The statements around it go in one round
	// trip each; DuckDB stops at the first error.
	for _, q := range []string{strings.Join(before, ";\n"), create + m.SQL, strings.Join(after, ";\n")} {
		if q == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return 0, err
		}
	}
	if m.Materialized == View {
		return -1, nil
	}
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+name).Scan(&n); err != nil {
		return 0, err
	}
	return n, nil
}

// Describe lists models one per line, for --help style output.
func Describe(ms []*Model) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%-28s %-5s %s\n", m.Name, m.Materialized, m.Description)
	}
	return b.String()
}

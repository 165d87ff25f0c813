package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// stateVersion is part of every state hash: bump it when the way models are
// materialised changes, so the next build rebuilds everything once.
const stateVersion = "models/v1"

// querier is what the builder reads and writes through: a connection in
// autocommit mode or a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// catalogObjects are the tables and views that exist in the warehouse, by
// lower-case name ("name" for the main schema, also "schema.name"), with the
// kind and whether the object is a plain main-schema one we may fingerprint.
type catalogObjects map[string]catalogObject

type catalogObject struct {
	kind   string // table or view
	schema string
	name   string // as DuckDB spells it
}

func loadObjects(ctx context.Context, tx querier) (catalogObjects, error) {
	rows, err := tx.QueryContext(ctx, query("objects"))
	if err != nil {
		return nil, fmt.Errorf("list warehouse objects: %w", err)
	}
	defer rows.Close()
	objs := catalogObjects{}
	for rows.Next() {
		var o catalogObject
		if err := rows.Scan(&o.schema, &o.name, &o.kind); err != nil {
			return nil, fmt.Errorf("list warehouse objects: %w", err)
		}
		lower := strings.ToLower(o.name)
		objs[strings.ToLower(o.schema)+"."+lower] = o
		if _, taken := objs[lower]; !taken || o.schema == "main" {
			objs[lower] = o
		}
	}
	return objs, rows.Err()
}

// checkReferences fails, naming the file, when a model or test reads a
// relation that is neither a model, one of its CTEs, nor an existing table
// or view.
func checkReferences(ms []*Model, ts []*DataTest, objs catalogObjects) error {
	isModel := map[string]bool{}
	for _, m := range ms {
		isModel[m.Name] = true
	}
	check := func(what, file string, refs References) error {
		var unknown []string
		for _, r := range refs.Relations {
			if !isModel[r] && objs[r].kind == "" {
				unknown = append(unknown, r)
			}
		}
		if len(unknown) == 0 {
			return nil
		}
		return &innowatch.Error{
			Msg: fmt.Sprintf("%s %s reads %s, which is no model, no CTE of the file and no table or view of the warehouse",
				what, file, quoteList(unknown)),
			Hint: "check the spelling, add the model to sql/models, or create the table in a migration",
		}
	}
	for _, m := range ms {
		if err := check("model", m.File, m.Refs); err != nil {
			return err
		}
	}
	for _, t := range ts {
		if err := check("data test", t.File, t.Refs); err != nil {
			return err
		}
	}
	return nil
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// fingerprints returns, for each base relation (a table or view that is not
// a model), its row count and an order-independent sum of row hashes, in one
// query. A change of any value, any added or deleted row changes it.
func fingerprints(ctx context.Context, tx querier, names []string, objs catalogObjects) (map[string]string, error) {
	out := map[string]string{}
	var parts []string
	for _, n := range names {
		o := objs[n]
		if o.schema != "main" {
			out[n] = "system relation" // catalog views: taken as given
			continue
		}
		parts = append(parts, fmt.Sprintf("SELECT %s AS name, count(*) AS n, coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR AS h FROM %s AS t",
			duckdb.Literal(n), duckdb.Ident(o.name)))
	}
	if len(parts) == 0 {
		return out, nil
	}
	rows, err := tx.QueryContext(ctx, strings.Join(parts, "\nUNION ALL "))
	if err != nil {
		return nil, fmt.Errorf("fingerprint inputs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, h string
		var n int64
		if err := rows.Scan(&name, &n, &h); err != nil {
			return nil, fmt.Errorf("fingerprint inputs: %w", err)
		}
		out[name] = fmt.Sprintf("%d rows, %s", n, h)
	}
	return out, rows.Err()
}

// stateHash is what a model's content depends on: its file, the
// fingerprints of the base relations it reads, and the states its upstream
// models were last built with.
func stateHash(m *Model, base map[string]string, upstream map[string]string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\nfile %s\n", stateVersion, m.Hash)
	var rels []string
	for _, r := range m.Refs.Relations {
		if _, ok := base[r]; ok {
			rels = append(rels, r)
		}
	}
	sort.Strings(rels)
	for _, r := range rels {
		fmt.Fprintf(h, "relation %s %s\n", r, base[r])
	}
	for _, d := range m.Deps {
		fmt.Fprintf(h, "model %s %s\n", d, upstream[d])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// builtState is a model_state row.
type builtState struct {
	materialized string
	stateHash    string
	rows         int64
}

func loadStates(ctx context.Context, tx querier) (map[string]builtState, error) {
	rows, err := tx.QueryContext(ctx, query("state_select"))
	if err != nil {
		return nil, fmt.Errorf("read model state: %w", err)
	}
	defer rows.Close()
	out := map[string]builtState{}
	for rows.Next() {
		var name string
		var s builtState
		var n sql.NullInt64
		if err := rows.Scan(&name, &s.materialized, &s.stateHash, &n); err != nil {
			return nil, fmt.Errorf("read model state: %w", err)
		}
		s.rows = -1
		if n.Valid {
			s.rows = n.Int64
		}
		out[name] = s
	}
	return out, rows.Err()
}

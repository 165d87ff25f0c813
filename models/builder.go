package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// ModelResult reports one model's build.
type ModelResult struct {
	Name         string
	Materialized string
	Rows         int64 // for tables; -1 for views
	Duration     time.Duration
}

// Builder builds models into the warehouse.
type Builder struct {
	DB     *duckdb.DB
	Models []*Model
	// Progress, when set, is called after each model is built (inside the
	// transaction: nothing is visible to readers until all succeed).
	Progress func(ModelResult)
}

// Build builds every model in dependency order inside one transaction.
// Tables are created under a staging name and swapped in; if any model
// fails, the transaction rolls back and yesterday's marts stay.
func (b *Builder) Build(ctx context.Context) ([]ModelResult, error) {
	ordered, err := Order(b.Models)
	if err != nil {
		return nil, err
	}
	var results []ModelResult
	err = b.DB.Write(ctx, func(conn *sql.Conn) error {
		return duckdb.InTx(ctx, conn, func(tx *sql.Tx) error {
			for _, m := range ordered {
				start := time.Now()
				res, err := buildOne(ctx, tx, m)
				if err != nil {
					return fmt.Errorf("build model %s (%s): %w", m.Name, m.File, err)
				}
				res.Duration = time.Since(start)
				results = append(results, res)
				if b.Progress != nil {
					b.Progress(res)
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

func buildOne(ctx context.Context, tx *sql.Tx, m *Model) (ModelResult, error) {
	res := ModelResult{Name: m.Name, Materialized: m.Materialized, Rows: -1}
	name := duckdb.Ident(m.Name)
	existing, err := objectType(ctx, tx, m.Name)
	if err != nil {
		return res, err
	}
	var stmts []string
	if existing != "" && existing != m.Materialized {
		// The materialization changed: drop the old kind of object first.
		stmts = append(stmts, "DROP "+strings.ToUpper(existing)+" "+name)
	}
	switch m.Materialized {
	case View:
		stmts = append(stmts, "CREATE OR REPLACE VIEW "+name+" AS\n"+m.SQL)
	case Table:
		staging := duckdb.Ident(m.Name + "__staging")
		stmts = append(stmts,
			"DROP TABLE IF EXISTS "+staging,
			"CREATE TABLE "+staging+" AS\n"+m.SQL)
		if existing == Table {
			stmts = append(stmts, "DROP TABLE "+name)
		}
		stmts = append(stmts, "ALTER TABLE "+staging+" RENAME TO "+name)
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return res, err
		}
	}
	kind := "TABLE"
	if m.Materialized == View {
		kind = "VIEW"
	}
	if m.Description != "" {
		if _, err := tx.ExecContext(ctx, "COMMENT ON "+kind+" "+name+" IS "+duckdb.Literal(m.Description)); err != nil {
			return res, fmt.Errorf("comment: %w", err)
		}
	}
	for _, c := range m.Columns {
		if _, err := tx.ExecContext(ctx, "COMMENT ON COLUMN "+name+"."+duckdb.Ident(c[0])+" IS "+duckdb.Literal(c[1])); err != nil {
			return res, fmt.Errorf("comment on column %s: %w", c[0], err)
		}
	}
	if m.Materialized == Table {
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+name).Scan(&res.Rows); err != nil {
			return res, err
		}
	}
	return res, nil
}

// Describe lists models one per line, for --help style output.
func Describe(ms []*Model) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%-22s %-5s %s\n", m.Name, m.Materialized, m.Description)
	}
	return b.String()
}

// objectType says whether name exists in the main schema as a table or a view.
func objectType(ctx context.Context, tx *sql.Tx, name string) (string, error) {
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT 'table' FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = $1 AND NOT temporary
		UNION ALL SELECT 'view' FROM duckdb_views() WHERE schema_name = 'main' AND view_name = $1 AND NOT temporary`, name).Scan(&kind)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return kind, err
}

package bulletin

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// Stored is one row of the bulletins table.
type Stored struct {
	Month       innowatch.Period
	Revision    int
	Issue       int
	Title       string
	HTML        string
	Markdown    string
	PDF         []byte // nil when printed without Chromium
	Vintage     string // JSON
	Reason      string
	PublishedAt sql.NullTime
	RunID       int64
}

// Revisions lists the stored revisions of month, oldest first.
func Revisions(ctx context.Context, db *sql.DB, month innowatch.Period) ([]Stored, error) {
	return readStored(ctx, db, query("bulletins_month"), month.String())
}

// All lists every stored bulletin, by month and revision.
func All(ctx context.Context, db *sql.DB) ([]Stored, error) {
	return readStored(ctx, db, query("bulletins_all"))
}

func readStored(ctx context.Context, db *sql.DB, q string, args ...any) ([]Stored, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read bulletins: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		var s Stored
		var month string
		var reason sql.NullString
		if err := rows.Scan(&month, &s.Revision, &s.Issue, &s.Title, &s.HTML, &s.Markdown, &s.PDF, &s.Vintage,
			&reason, &s.PublishedAt, &s.RunID); err != nil {
			return nil, fmt.Errorf("read bulletins: %w", err)
		}
		if s.Month, err = innowatch.ParsePeriod(month); err != nil {
			return nil, fmt.Errorf("read bulletins: %w", err)
		}
		s.Reason = reason.String
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read bulletins: %w", err)
	}
	return out, nil
}

// insert stores a bulletin in one transaction, after checking that no
// other revision of the month was stored since the caller looked: the
// primary key (month, revision) would refuse it anyway, with a less
// helpful message.
func insert(ctx context.Context, conn *sql.Conn, doc *Document, meta Meta, pdf []byte, runID int64, want int) error {
	vintage, err := json.Marshal(doc.Vintage)
	if err != nil {
		return fmt.Errorf("store bulletin: %w", err)
	}
	var reason any
	if meta.Reason != "" {
		reason = meta.Reason
	}
	var blob any
	if pdf != nil {
		blob = pdf
	}
	return duckdb.InTx(ctx, conn, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, query("bulletins_count"), doc.Month.String()).Scan(&n); err != nil {
			return fmt.Errorf("store bulletin: %w", err)
		}
		if n != want {
			return fmt.Errorf("store bulletin %s: %d revision(s) stored meanwhile, expected %d: %w", doc.Month, n, want, ErrAlreadyPublished)
		}
		if _, err := tx.ExecContext(ctx, query("bulletins_insert"), doc.Month.String(), meta.Revision, doc.Issue, doc.Title,
			string(doc.HTML), string(doc.Markdown), blob, string(vintage), reason, meta.PublishedAt, runID); err != nil {
			return fmt.Errorf("store bulletin %s: %w", doc.Month, err)
		}
		return nil
	})
}

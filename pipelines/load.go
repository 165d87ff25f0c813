package pipelines

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// Load outcomes.
const (
	Loaded    = "loaded"    // new or revised facts written as a new vintage
	NoChange  = "no_change" // new file, but every fact equals the latest vintage
	Unchanged = "unchanged" // this exact file (content hash) was loaded before
	Refused   = "refused"   // problems found; nothing written
	Valid     = "valid"     // dry run: the file would load
)

// LoadResult says what loading one file did.
type LoadResult struct {
	File     string
	Status   string
	LoadID   int64 // also the vintage of the facts written
	Facts    int   // facts in the file
	New      int64 // keys never seen before
	Revised  int64 // keys whose latest value or status changed
	Targets  int
	Warnings Problems
	Problems Problems  // for Refused: every error found
	PrevLoad int64     // for Unchanged: the load that had this content
	PrevAt   time.Time // and when
}

// Loader writes validated batches into the warehouse.
type Loader struct {
	DB  *duckdb.DB
	Now func() time.Time
}

// Load writes one batch in one transaction: all its facts (those that differ
// from the latest vintage) and its loads row, or nothing. A batch with
// errors is refused with its Problems as the error.
func (l *Loader) Load(ctx context.Context, runID int64, b *Batch) (LoadResult, error) {
	res := LoadResult{File: b.File, Facts: len(b.Facts), Targets: len(b.Targets), Warnings: b.Problems.Warnings()}
	if errs := b.Problems.Errors(); len(errs) > 0 {
		res.Status, res.Problems = Refused, errs
		return res, errs
	}
	now := l.Now()
	err := l.DB.Write(ctx, func(conn *sql.Conn) error {
		var prevAt time.Time
		err := conn.QueryRowContext(ctx, "SELECT id, loaded_at FROM loads WHERE file_hash = ? ORDER BY id DESC LIMIT 1", b.Hash).
			Scan(&res.PrevLoad, &prevAt)
		if err == nil {
			res.Status, res.PrevAt = Unchanged, prevAt
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := conn.ExecContext(ctx, sqlfiles.Query("stage_facts_create")); err != nil {
			return fmt.Errorf("stage: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS temp.stage_facts")
		if err := appendFacts(conn, b); err != nil {
			return fmt.Errorf("stage: %w", err)
		}
		return duckdb.InTx(ctx, conn, func(tx *sql.Tx) error {
			if err := tx.QueryRowContext(ctx, "SELECT nextval('loads_id_seq')").Scan(&res.LoadID); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, sqlfiles.Query("stage_facts_diff")).Scan(&res.New, &res.Revised); err != nil {
				return fmt.Errorf("compare with latest vintage: %w", err)
			}
			if _, err := tx.ExecContext(ctx, sqlfiles.Query("stage_facts_insert"), res.LoadID, b.File, now); err != nil {
				return fmt.Errorf("insert facts: %w", err)
			}
			for _, t := range b.Targets {
				if _, err := tx.ExecContext(ctx, sqlfiles.Query("targets_upsert"), t.Region, t.Year, t.Indicator, t.Kind,
					t.Value, t.Max, nullable(t.BaselinePeriod), t.DescriptionZH, t.Source); err != nil {
					return fmt.Errorf("insert target: %w", err)
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO loads (id, run_id, file_name, file_hash, format, rows_read, facts_new, facts_revised, loaded_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, res.LoadID, runID, b.File, b.Hash, b.Format, b.RowsRead, res.New, res.Revised, now)
			return err
		})
	})
	if err != nil {
		return res, fmt.Errorf("load %s: %w", b.File, err)
	}
	if res.Status == "" {
		res.Status = Loaded
		if res.New == 0 && res.Revised == 0 && len(b.Targets) == 0 {
			res.Status = NoChange
		}
	}
	return res, nil
}

// appendFacts bulk-loads the batch into the staging table with DuckDB's
// Appender (a prepared INSERT per row is three orders of magnitude slower).
func appendFacts(conn *sql.Conn, b *Batch) error {
	return duckdb.Raw(conn, func(dc driver.Conn) error {
		app, err := duckdbdriver.NewAppender(dc, "temp", "main", "stage_facts")
		if err != nil {
			return err
		}
		for _, f := range b.Facts {
			var v, reason any
			if f.Missing {
				reason = f.MissingReason
			} else {
				v = f.Value
			}
			if err := app.AppendRow(f.Region, f.Period.String(), f.Indicator, v, reason, string(f.Status),
				nullable(f.Sheet), int32(f.Row), nullable(f.Note)); err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

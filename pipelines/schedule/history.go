package schedule

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"os"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

var (
	//go:embed queries/runs_insert.sql
	runsInsertSQL string
	//go:embed queries/runs_succeeded.sql
	runsSucceededSQL string
	//go:embed queries/runs_list.sql
	runsListSQL string
)

// WriteRecords inserts scheduler-written rows into the runs table of an
// open, migrated warehouse.
func WriteRecords(ctx context.Context, db *duckdb.DB, recs []Record) error {
	host, _ := os.Hostname()
	return db.Write(ctx, func(conn *sql.Conn) error {
		return duckdb.InTx(ctx, conn, func(tx *sql.Tx) error {
			for _, r := range recs {
				var sched any
				if !r.ScheduledAt.IsZero() {
					sched = r.ScheduledAt
				}
				var errText any
				if r.Error != "" {
					errText = r.Error
				}
				if _, err := tx.ExecContext(ctx, runsInsertSQL, r.Kind, r.Job, string(r.Trigger), string(r.Status), sched,
					r.StartedAt, r.FinishedAt, r.Attempt, errText, os.Getpid(), host); err != nil {
					return fmt.Errorf("record run of %s: %w", r.Job, err)
				}
			}
			return nil
		})
	})
}

// SucceededAt reports whether job has a succeeded run for slot.
func SucceededAt(ctx context.Context, db *sql.DB, job string, slot time.Time) (bool, error) {
	var ok bool
	if err := db.QueryRowContext(ctx, runsSucceededSQL, job, slot).Scan(&ok); err != nil {
		return false, fmt.Errorf("look up runs of %s: %w", job, err)
	}
	return ok, nil
}

// HistoryFilter selects runs for ListRuns.
type HistoryFilter struct {
	Job    string // "" for all
	Status string // "" for all; else one of the run statuses
	Limit  int
}

// RunRow is a row of the run history.
type RunRow struct {
	ID          int64
	Job         string // "" for a manual command
	Kind        string
	Trigger     string
	Status      string
	ScheduledAt time.Time // zero when not scheduled
	StartedAt   time.Time
	FinishedAt  time.Time // zero while running
	Seconds     float64
	Attempt     int
	Error       string
	Details     string // JSON
}

// ListRuns returns the latest runs, newest first.
func ListRuns(ctx context.Context, db *sql.DB, f HistoryFilter) ([]RunRow, error) {
	if f.Status != "" {
		switch innowatch.RunStatus(f.Status) {
		case innowatch.RunRunning, innowatch.RunSucceeded, innowatch.RunFailed, innowatch.RunAborted, innowatch.RunSkipped, innowatch.RunPartial:
		default:
			return nil, &innowatch.Error{Msg: fmt.Sprintf("unknown run status %q", f.Status),
				Hint: "use one of running, succeeded, partial, failed, aborted, skipped"}
		}
	}
	if f.Limit <= 0 {
		f.Limit = 20
	}
	rows, err := db.QueryContext(ctx, runsListSQL, nullIfEmpty(f.Job), nullIfEmpty(f.Status), f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []RunRow
	for rows.Next() {
		var r RunRow
		var job, errText, details sql.NullString
		var sched, fin sql.NullTime
		var secs sql.NullFloat64
		if err := rows.Scan(&r.ID, &job, &r.Kind, &r.Trigger, &r.Status, &sched, &r.StartedAt, &fin, &secs,
			&r.Attempt, &errText, &details); err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		r.Job, r.Error, r.Details = job.String, errText.String, details.String
		r.ScheduledAt, r.FinishedAt, r.Seconds = sched.Time, fin.Time, secs.Float64
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return out, nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/linyi-sti/innowatch"
)

// RunSpec describes a run as it starts.
type RunSpec struct {
	Kind        string // ingest, build, render, bulletin, run, job
	Job         string // scheduled job name, if any
	Trigger     string // manual, cron, catch-up
	ScheduledAt time.Time
	Attempt     int // attempt number of a scheduled job; 0 means 1
}

// StartRun records a run as running and returns its id. Each run is a row,
// so a crash shows afterwards as a run that never finished.
func (db *DB) StartRun(ctx context.Context, spec RunSpec, now time.Time) (int64, error) {
	if spec.Trigger == "" {
		spec.Trigger = "manual"
	}
	if spec.Attempt < 1 {
		spec.Attempt = 1
	}
	host, _ := os.Hostname()
	var sched any
	if !spec.ScheduledAt.IsZero() {
		sched = spec.ScheduledAt
	}
	var id int64
	err := db.Write(ctx, func(conn *sql.Conn) error {
		return conn.QueryRowContext(ctx, `INSERT INTO runs (kind, job, trigger, status, scheduled_at, started_at, attempts, pid, host)
			VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?) RETURNING id`,
			spec.Kind, nullString(spec.Job), spec.Trigger, sched, now, spec.Attempt, os.Getpid(), host).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("start run: %w", err)
	}
	return id, nil
}

// FinishRun records the outcome of a run. details is stored as JSON.
func (db *DB) FinishRun(ctx context.Context, id int64, status innowatch.RunStatus, runErr error, details any, now time.Time) error {
	var errText any
	if runErr != nil {
		errText = runErr.Error()
	}
	var det any
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return fmt.Errorf("finish run: %w", err)
		}
		det = string(b)
	}
	err := db.Write(ctx, func(conn *sql.Conn) error {
		_, err := conn.ExecContext(ctx, `UPDATE runs SET status = ?, finished_at = ?, error = ?, details = ? WHERE id = ?`,
			string(status), now, errText, det, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	return nil
}

// RecoverRuns marks runs left "running" by a process that died as aborted.
// Only a writer may call it, and DuckDB's file lock means no other writer is
// alive, so every running row belongs to a dead process.
func (db *DB) RecoverRuns(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.Write(ctx, func(conn *sql.Conn) error {
		res, err := conn.ExecContext(ctx, `UPDATE runs SET status = 'aborted', finished_at = ?,
			error = 'the process ended before the run finished (crash or kill); recorded by the next writer'
			WHERE status = 'running' AND pid IS DISTINCT FROM ?`, now, os.Getpid())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("recover runs: %w", err)
	}
	return n, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

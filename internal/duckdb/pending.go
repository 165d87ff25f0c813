package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/linyi-sti/innowatch/internal/fsutil"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// The serving copy's guarantee: every writer, before its job and after it,
// brings the serving copy up to the warehouse's last commit. A writer killed
// between a commit and the publish, or one whose publish failed (a full
// disk), leaves the copy behind; the next writer sees that in the runs table
// (ServingBehind) and publishes first. Readers cannot open the warehouse
// while a writer holds it, so the writer also keeps a small journal beside
// the copies (serving/<name>.pending): which run is writing, or why the copy
// is older than the warehouse. `innowatch sql` reads it to say so.

// Pending is the writer's journal.
type Pending struct {
	Run     int64     `json:"run"`
	Kind    string    `json:"kind"`
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
	// Unpublished says why the run's changes are not in the serving copy.
	Unpublished string `json:"unpublished,omitempty"`
	// Unrecorded is the run's failure, when it could not be written into the
	// runs table (the next writer records it).
	Unrecorded string `json:"unrecorded,omitempty"`
}

// Alive reports whether the journal's writer is still running (on this host).
func (p *Pending) Alive() bool {
	host, _ := os.Hostname()
	return p.Host == host && processAlive(p.PID)
}

// PendingPath is the journal of the warehouse at path.
func PendingPath(path string) string {
	abs, _ := filepath.Abs(path)
	return filepath.Join(ServingDir(abs), servingBase(abs)+".pending")
}

// WritePending replaces the journal atomically.
func WritePending(path string, p Pending) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(PendingPath(path)), 0o755); err != nil {
		return fmt.Errorf("write journal: %w", err)
	}
	return fsutil.WriteFileAtomic(PendingPath(path), 0o644, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// ReadPending returns the journal, or nil when there is none.
func ReadPending(path string) (*Pending, error) {
	b, err := os.ReadFile(PendingPath(path))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	var p Pending
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("read journal %s: %w", PendingPath(path), err)
	}
	return &p, nil
}

// ClearPending removes the journal: the serving copy holds every commit.
func ClearPending(path string) error {
	err := os.Remove(PendingPath(path))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("clear journal: %w", err)
	}
	return nil
}

// CurrentServingRun is the run of the current serving copy, or 0 when there
// is none (or its file is gone).
func CurrentServingRun(path string) int64 {
	p, err := ResolveServing(path)
	if err != nil {
		return 0
	}
	if _, err := os.Stat(p); err != nil {
		return 0
	}
	return ServingRun(p)
}

// ServingBehind reports whether the serving copy lacks commits of the
// warehouse: there is no copy, or a run after the copy's changed (or may
// have changed) data. behind is the newest such run.
func (db *DB) ServingBehind(ctx context.Context) (stale bool, behind int64, err error) {
	copyRun := CurrentServingRun(db.path)
	if err := db.sql.QueryRowContext(ctx, sqlfiles.Query("serving_behind"), copyRun).Scan(&behind); err != nil {
		return false, 0, fmt.Errorf("compare the serving copy with the warehouse: %w", err)
	}
	return copyRun == 0 || behind > 0, behind, nil
}

// Reconcile makes the runs table tell the truth about writers that died: a
// failure the journal holds is recorded, and a run recorded as succeeded
// whose changes never reached a serving copy becomes aborted. Only a writer
// calls it (no other writer is alive).
func (db *DB) Reconcile(ctx context.Context, p *Pending) error {
	copyRun := CurrentServingRun(db.path)
	return db.Write(ctx, func(conn *sql.Conn) error {
		if p != nil && p.Unrecorded != "" {
			if _, err := conn.ExecContext(ctx, sqlfiles.Query("runs_unrecorded_failure"), p.Run, p.Unrecorded); err != nil {
				return fmt.Errorf("record the failure of run %d: %w", p.Run, err)
			}
		}
		if _, err := conn.ExecContext(ctx, sqlfiles.Query("runs_unpublished"), copyRun); err != nil {
			return fmt.Errorf("reconcile runs with the serving copy: %w", err)
		}
		return nil
	})
}

// MaxRunID is the newest run id (0 in an empty runs table): the tag of a
// serving copy published outside a run.
func (db *DB) MaxRunID(ctx context.Context) (int64, error) {
	var id int64
	if err := db.sql.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM runs").Scan(&id); err != nil {
		return 0, fmt.Errorf("read runs: %w", err)
	}
	return id, nil
}

package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/internal/fsutil"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

func newRestoreCmd(e *env) *cobra.Command {
	var from string
	var force bool
	cmd := &cobra.Command{
		Use:   "restore",
		Short: "Put the serving copy back in place of a damaged warehouse",
		Long: `restore replaces a warehouse that cannot be opened (a damaged file, a
write-ahead log DuckDB cannot replay) with its serving copy: a complete,
consistent copy published after the last job that changed data. It says what
the copy holds and what is lost (whatever was committed after the copy's run),
keeps the damaged files beside the warehouse as NAME.damaged-TIME, and records
the restore as a run.

A warehouse that opens is not replaced unless --force is given.

  innowatch restore                                # from serving/warehouse.current
  innowatch restore --from serving/warehouse-000041.duckdb`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.restore(cmd.Context(), dbFlag(cmd), from, force)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "restore from this serving copy instead of the current one")
	cmd.Flags().BoolVar(&force, "force", false, "replace the warehouse even when it opens")
	return cmd
}

// copyHolds is what a serving copy contains, for the operator to judge.
type copyHolds struct {
	run, loads, facts, bulletins int64
	runAt, lastLoadAt            time.Time
	lastLoad, lastBulletin       string
}

func (e *env) restore(ctx context.Context, dbPath, from string, force bool) error {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return err
	}
	if from == "" {
		if from, err = duckdb.ResolveServing(abs); err != nil {
			return err
		}
	}
	current, _ := duckdb.ResolveServing(abs)
	holds, err := describeCopy(ctx, from)
	if err != nil {
		return err
	}
	// Is the warehouse really beyond use? It must not be replaced while a
	// job holds it, nor when it opens (that would throw away its commits).
	if _, statErr := os.Stat(abs); statErr == nil {
		db, err := duckdb.Open(ctx, abs, duckdb.Options{})
		switch {
		case err == nil:
			_, qerr := db.SQL().ExecContext(ctx, "SELECT count(*) FROM runs")
			db.Close()
			if qerr == nil && !force {
				return &innowatch.Error{Msg: fmt.Sprintf("warehouse %s opens and is readable: not replaced", abs),
					Hint: "restore is for a warehouse that cannot be opened; --force replaces it anyway, losing what it holds after run " +
						fmt.Sprint(holds.run)}
			}
		case errors.Is(err, innowatch.ErrLocked):
			return err
		case errors.Is(err, duckdb.ErrDamaged) || force:
		default:
			return err
		}
	}
	stamp := e.now().UTC().Format("20060102T150405")
	kept := abs + ".damaged-" + stamp
	if _, err := os.Stat(abs); err == nil {
		if err := os.Rename(abs, kept); err != nil {
			return fmt.Errorf("keep the damaged warehouse: %w", err)
		}
		if err := os.Rename(abs+".wal", kept+".wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("keep the damaged warehouse's WAL: %w", err)
		}
	} else {
		kept = ""
	}
	src, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	err = fsutil.WriteFileAtomic(abs, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, src)
		return err
	})
	src.Close()
	if err != nil {
		return fmt.Errorf("restore %s: %w", abs, err)
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	fmt.Fprintf(e.stdout, "restored   %s from %s\n", abs, from)
	fmt.Fprintf(e.stdout, "holds      everything up to run %d (finished %s): %d load(s), the last %s at %s; %d facts; %d bulletin(s)%s\n",
		holds.run, at(holds.runAt), holds.loads, holds.lastLoad, at(holds.lastLoadAt), holds.facts, holds.bulletins, holds.lastBulletin)
	fmt.Fprintf(e.stdout, "lost       whatever was committed after run %d (%s): loads, builds, bulletins and run history since then; "+
		"ingest again any file loaded after that time (the inbox archive has them), then build and render\n", holds.run, at(holds.runAt))
	if kept != "" {
		fmt.Fprintf(e.stdout, "kept       the damaged files as %s (and .wal, if any); delete them once you are satisfied\n", kept)
	}
	return e.writer(ctx, abs, "restore", func(ctx context.Context, w *work) error {
		// Restored from an older copy than the current one: readers must see
		// what the warehouse now holds, not the newer copy.
		w.changed = filepath.Clean(mustAbs(from)) != filepath.Clean(current)
		w.details["restored_from"] = filepath.Base(from)
		w.details["as_of_run"] = holds.run
		if kept != "" {
			w.details["damaged_kept"] = filepath.Base(kept)
		}
		return nil
	})
}

// describeCopy reads what a serving copy holds.
func describeCopy(ctx context.Context, path string) (copyHolds, error) {
	var h copyHolds
	db, err := duckdb.Open(ctx, path, duckdb.Options{ReadOnly: true, Settings: readerSettings})
	if err != nil {
		return h, fmt.Errorf("open the serving copy: %w", err)
	}
	defer db.Close()
	var runAt, loadAt sql.NullTime
	var lastLoad, lastBulletin sql.NullString
	err = db.SQL().QueryRowContext(ctx, sqlfiles.Query("restore_describe")).Scan(
		&h.run, &runAt, &h.loads, &lastLoad, &loadAt, &h.facts, &h.bulletins, &lastBulletin)
	if err != nil {
		return h, fmt.Errorf("read the serving copy %s: %w", path, err)
	}
	h.runAt, h.lastLoadAt, h.lastLoad = runAt.Time, loadAt.Time, lastLoad.String
	if h.lastLoad == "" {
		h.lastLoad = "—"
	}
	if lastBulletin.Valid {
		h.lastBulletin = ", the latest " + lastBulletin.String
	}
	return h, nil
}

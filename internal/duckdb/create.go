package duckdb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/fsutil"
)

// A fresh warehouse is never built in place. DuckDB 1.5 cannot replay some
// schema changes from its write-ahead log (an ALTER TABLE on a table whose
// columns have function defaults such as nextval() or now(), duckdb issues
// 18259, 20543, 22044): a writer killed before its first checkpoint left a
// warehouse nobody could open. So the schema of a new warehouse is migrated
// in a temporary file beside it, checkpointed and closed — the main file
// then holds the whole schema and no WAL is left — and only then linked
// into place. A kill at any moment leaves either no warehouse or a complete
// one; no schema change ever lives only in a WAL.

// OpenWriter opens the warehouse at path for writing, ready for a job: it
// creates a fresh one atomically when the file does not exist, applies the
// migrations not yet applied (checkpointing right after them), and waits up
// to lockWait for a reader that holds the file for a moment (innowatch runs,
// a crash check) before reporting the lock. It returns the migrations applied.
func OpenWriter(ctx context.Context, path string, lockWait time.Duration) (*DB, []string, error) {
	var fresh []string
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		applied, err := Create(ctx, path)
		if err != nil {
			return nil, nil, err
		}
		fresh = applied
	}
	db, err := openWaiting(ctx, path, lockWait)
	if err != nil {
		return nil, nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, append(fresh, applied...), nil
}

// openWaiting retries Open while another process holds the lock, for at
// most wait: read-only commands hold the file only for a moment and must
// never make a scheduled job fail.
func openWaiting(ctx context.Context, path string, wait time.Duration) (*DB, error) {
	deadline := time.Now().Add(wait)
	for {
		db, err := Open(ctx, path, Options{})
		if err == nil || !errors.Is(err, innowatch.ErrLocked) || time.Now().After(deadline) {
			return db, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Create builds a new warehouse at path: migrated in a temporary file
// beside it (a copy of the embedded template when it is current, see
// template.go), checkpointed, closed and hard-linked into place (a link, not a
// rename, so that a warehouse another process created meanwhile is never
// replaced). It returns the migrations applied, or none when another
// process created the warehouse first.
func Create(ctx context.Context, path string) ([]string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("create warehouse: %w", err)
	}
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create warehouse: %w", err)
	}
	removeDeadCreations(dir, filepath.Base(abs))
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.new-%d.duckdb", filepath.Base(abs), os.Getpid()))
	removeDB(tmp)
	defer removeDB(tmp)
	applied, fromTemplate, err := createFromTemplate(ctx, tmp)
	if err != nil {
		return nil, fmt.Errorf("create warehouse %s: %w", abs, err)
	}
	if !fromTemplate {
		if applied, err = migrateNew(ctx, tmp); err != nil {
			return nil, fmt.Errorf("create warehouse %s: %w", abs, err)
		}
	}
	if _, err := os.Stat(tmp + ".wal"); err == nil {
		return nil, fmt.Errorf("create warehouse %s: the new file still has a write-ahead log after its checkpoint", abs)
	}
	if err := syncFile(tmp); err != nil {
		return nil, fmt.Errorf("create warehouse %s: %w", abs, err)
	}
	if err := os.Link(tmp, abs); err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, nil // another writer created it first: use theirs
		}
		return nil, fmt.Errorf("create warehouse %s: %w", abs, err)
	}
	if err := fsutil.SyncDir(dir); err != nil {
		return nil, fmt.Errorf("create warehouse %s: %w", abs, err)
	}
	return applied, nil
}

// StorageVersion is the DuckDB storage format of new warehouses: readable
// by DuckDB 1.4 (the long-term support release) and later. DuckDB's default
// for a new file is still the 0.10.2 format, in which each checkpoint
// rewrites the metadata of every table: the first checkpoint after an open
// took 20–26 ms whatever changed, a no-op city run 96 → 82 ms and a full
// run 2.01 → 1.86 s with this one (docs/PERFORMANCE.md, "sixth session").
// A file keeps the format it was created with.
const StorageVersion = "v1.4.0"

// migrateNew applies every migration to a new file at tmp, created in
// StorageVersion's format, and closes it (the close checkpoints: the main
// file holds everything).
func migrateNew(ctx context.Context, tmp string) ([]string, error) {
	db, err := Open(ctx, tmp, Options{Settings: map[string]string{"storage_compatibility_version": StorageVersion}})
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	return applied, nil
}

func syncFile(p string) error {
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func removeDB(p string) {
	os.Remove(p)
	os.Remove(p + ".wal")
}

// removeDeadCreations removes temporary files of creations whose process
// died (the PID is in the name).
func removeDeadCreations(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + ".new-"
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, prefix) {
			continue
		}
		pidText, _, _ := strings.Cut(strings.TrimPrefix(n, prefix), ".")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		os.Remove(filepath.Join(dir, n))
	}
}

// processAlive reports whether a process with this PID exists on this host.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// ProcessAlive is processAlive for the packages that read a PID from a file.
func ProcessAlive(pid int) bool { return processAlive(pid) }

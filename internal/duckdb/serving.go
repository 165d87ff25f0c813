package duckdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/fsutil"
)

// The serving copy is how readers and the writer share the warehouse. After
// a successful job the writer checkpoints and copies the file, under a
// temporary name, to serving/<name>-<run>.duckdb, fsyncs it, renames it, then
// swaps the pointer file serving/<name>.current atomically. Readers resolve
// the pointer and open that immutable copy read-only, so they never meet the
// writer's lock. A copy replaced by a newer one is removed once two newer
// copies exist; a reader that has it open keeps reading (POSIX unlink).

// keepServing is how many copies stay on disk: the current one and the one
// before it, which readers that resolved the pointer a moment ago may open.
const keepServing = 2

// ServingDir is the folder of serving copies for the warehouse at path.
func ServingDir(path string) string { return filepath.Join(filepath.Dir(path), "serving") }

func servingBase(path string) string {
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}

// PublishServing checkpoints and publishes an immutable copy of the
// warehouse tagged with runID. It returns the path of the new copy.
func (db *DB) PublishServing(ctx context.Context, runID int64) (string, error) {
	if db.readOnly {
		return "", errors.New("publish serving copy: warehouse opened read-only")
	}
	dir := ServingDir(db.path)
	base := servingBase(db.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("publish serving copy: %w", err)
	}
	name := fmt.Sprintf("%s-%06d.duckdb", base, runID)
	dst := filepath.Join(dir, name)
	db.mu.Lock()
	defer db.mu.Unlock()
	if _, err := db.sql.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return "", fmt.Errorf("publish serving copy: checkpoint: %w", err)
	}
	// The writer holds the lock and no write is in flight (db.mu), and after
	// a checkpoint the main file alone is a complete database.
	src, err := os.Open(db.path)
	if err != nil {
		return "", fmt.Errorf("publish serving copy: %w", err)
	}
	defer src.Close()
	err = fsutil.WriteFileAtomic(dst, 0o444, func(w io.Writer) error {
		_, err := io.Copy(w, src)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("publish serving copy: %w", err)
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, base+".current"), 0o644, func(w io.Writer) error {
		_, err := io.WriteString(w, name+"\n")
		return err
	}); err != nil {
		return "", fmt.Errorf("publish serving copy: pointer: %w", err)
	}
	pruneServing(dir, base)
	return dst, nil
}

// ResolveServing returns the path of the current serving copy of the
// warehouse at path, or ErrNoServingCopy.
func ResolveServing(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	dir := ServingDir(abs)
	b, err := os.ReadFile(filepath.Join(dir, servingBase(abs)+".current"))
	if errors.Is(err, os.ErrNotExist) {
		return "", &innowatch.Error{
			Msg:  "no serving copy of " + abs,
			Hint: "run `innowatch run` or `innowatch build` once: each successful build publishes one",
			Err:  innowatch.ErrNoServingCopy,
		}
	}
	if err != nil {
		return "", fmt.Errorf("resolve serving copy: %w", err)
	}
	name := strings.TrimSpace(string(b))
	if name == "" || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("resolve serving copy: bad pointer %q", name)
	}
	return filepath.Join(dir, name), nil
}

// OpenServing opens the current serving copy read-only, retrying once if the
// pointer moved between reading it and opening the file.
func OpenServing(ctx context.Context, path string, settings map[string]string) (*DB, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		p, err := ResolveServing(path)
		if err != nil {
			return nil, err
		}
		db, err := Open(ctx, p, Options{ReadOnly: true, Settings: settings})
		if err == nil {
			return db, nil
		}
		lastErr = err
		if _, statErr := os.Stat(p); statErr == nil {
			return nil, err // the file is there: a real error
		}
	}
	return nil, lastErr
}

func pruneServing(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type copyFile struct {
		name string
		run  int64
	}
	var copies []copyFile
	prefix := base + "-"
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, "."+prefix) && strings.Contains(n, ".tmp-") {
			// A copy a killed writer never finished: only one writer runs at a
			// time (DuckDB's lock), so no live writer owns it.
			os.Remove(filepath.Join(dir, n))
			continue
		}
		if !strings.HasPrefix(n, prefix) || !strings.HasSuffix(n, ".duckdb") {
			continue
		}
		run, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(n, prefix), ".duckdb"), 10, 64)
		if err != nil {
			continue
		}
		copies = append(copies, copyFile{n, run})
	}
	sort.Slice(copies, func(i, j int) bool { return copies[i].run > copies[j].run })
	for i := keepServing; i < len(copies); i++ {
		os.Remove(filepath.Join(dir, copies[i].name))
		os.Remove(filepath.Join(dir, copies[i].name+".wal"))
	}
}

// ServingRun is the run id in a serving copy's name (warehouse-000123.duckdb
// → 123), or 0.
func ServingRun(copyPath string) int64 {
	n := strings.TrimSuffix(filepath.Base(copyPath), ".duckdb")
	i := strings.LastIndexByte(n, '-')
	if i < 0 {
		return 0
	}
	id, err := strconv.ParseInt(n[i+1:], 10, 64)
	if err != nil {
		return 0
	}
	return id
}

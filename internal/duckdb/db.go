// Package duckdb wraps the DuckDB driver: opening the warehouse file with the
// one-writer rule, forward-only migrations, the run log, bulk loading through
// the Appender, and publishing the read-only serving copy.
//
// One *DB per file per process, opened once and passed around. Writes are
// serialised through Write; DuckDB allows a single read-write process per
// file, and while it holds the file nobody else can open it at all, so a
// writer opens, works, checkpoints and closes; readers use the serving copy.
package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"
)

// Options control how the file is opened.
type Options struct {
	// ReadOnly opens the file in DuckDB's read_only access mode: many
	// read-only processes may share a file that no writer holds.
	ReadOnly bool
	// Settings are DuckDB configuration options applied when the database is
	// opened (for example enable_external_access=false for the SQL console).
	Settings map[string]string
}

// Memory opens a private in-memory database (reference data for tools that
// need the catalog without a warehouse file).
const Memory = ":memory:"

// DB is an open warehouse file.
type DB struct {
	path      string
	readOnly  bool
	sql       *sql.DB
	connector *duckdbdriver.Connector
	mu        sync.Mutex // serialises writers inside this process
	// memoryLimit is the memory_limit the file was opened with, or the
	// default as ReleaseCache first read it; empty before.
	memoryLimit string
}

// Open opens (creating if needed, unless read-only) the DuckDB file at path.
// A lock held by another process becomes an error naming the holder and
// saying what to do.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("open warehouse: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open warehouse: %w", err)
	}
	if path == Memory {
		abs = ""
	} else if opt.ReadOnly {
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("open warehouse %s read-only: %w", abs, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("open warehouse: %w", err)
	}
	q := url.Values{}
	if opt.ReadOnly {
		q.Set("access_mode", "read_only")
	}
	for k, v := range opt.Settings {
		q.Set(k, v)
	}
	dsn := abs
	if len(q) > 0 {
		dsn += "?" + q.Encode()
	}
	connector, err := duckdbdriver.NewConnector(dsn, nil)
	if err != nil {
		return nil, translateOpenError(abs, err)
	}
	sdb := sql.OpenDB(connector)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		connector.Close()
		return nil, translateOpenError(abs, err)
	}
	return &DB{path: abs, readOnly: opt.ReadOnly, sql: sdb, connector: connector, memoryLimit: opt.Settings["memory_limit"]}, nil
}

// Path is the absolute path of the file.
func (db *DB) Path() string { return db.path }

// ReadOnly reports whether the file was opened read-only.
func (db *DB) ReadOnly() bool { return db.readOnly }

// SQL is the handle for reads. Writes go through Write.
func (db *DB) SQL() *sql.DB { return db.sql }

// Write runs fn on a dedicated connection while holding the process's write
// lock. fn decides its own transactions; temp tables live as long as fn.
func (db *DB) Write(ctx context.Context, fn func(conn *sql.Conn) error) error {
	if db.readOnly {
		return errors.New("write: warehouse opened read-only")
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	defer conn.Close()
	return fn(conn)
}

// InTx runs fn inside one transaction on conn: committed when fn returns nil,
// rolled back otherwise (also on panic).
func InTx(ctx context.Context, conn *sql.Conn, fn func(tx *sql.Tx) error) (err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Raw hands fn the driver connection, for the Appender and Arrow. fn must
// not use conn's *sql.Conn for queries: the driver deadlocks.
func Raw(conn *sql.Conn, fn func(dc driver.Conn) error) error {
	return conn.Raw(func(c any) error {
		dc, ok := c.(driver.Conn)
		if !ok {
			return fmt.Errorf("raw: unexpected driver connection %T", c)
		}
		return fn(dc)
	})
}

// Checkpoint writes the WAL into the main file so the file alone is a
// complete database.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.readOnly {
		return nil
	}
	if _, err := db.sql.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// CachedBytes is what DuckDB's buffer pool holds of the file's tables
// (duckdb_memory()'s BASE_TABLE): the blocks read or written, which
// ReleaseCache drops.
func (db *DB) CachedBytes(ctx context.Context) (int64, error) {
	var n int64
	err := db.sql.QueryRowContext(ctx, "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'BASE_TABLE'").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("cached blocks: %w", err)
	}
	return n, nil
}

// ReleaseCache makes DuckDB drop the blocks of the file its buffer pool
// keeps in memory once read or written: with memory_limit at its default
// (80 % of RAM) nothing is evicted, so every block a job touched stays
// resident to the end (city run: 11–15 MiB of table blocks held while the
// next models work). Call it right after a checkpoint, when the blocks are
// on disk and dropping them only means reading them again if needed:
// blocks not yet written (tables changed since the checkpoint) would be
// written to DuckDB's temporary files instead.
//
// DuckDB has no statement for this; lowering memory_limit evicts every
// unpinned block (a limit below what is pinned is refused after evicting
// what could be). The limit is then set back: to the setting the file was
// opened with, else to the figure current_setting printed before the first
// call (DuckDB's default, 80 % of RAM, as printed: 18.8 GiB on a 24 GiB
// machine, within 0.1 GiB of the exact default; the same figure every
// call, so repeated calls do not drift). RESET is not used: it resets the
// setting but leaves the buffer pool at the lowered limit (queries then
// fail with Out of Memory).
func (db *DB) ReleaseCache(ctx context.Context) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("release cache: %w", err)
	}
	defer conn.Close()
	if db.memoryLimit == "" {
		if err := conn.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&db.memoryLimit); err != nil {
			return fmt.Errorf("release cache: %w", err)
		}
	}
	limit := db.memoryLimit
	// 1 byte is below anything pinned: usually refused after the eviction,
	// as expected. Any other failure is reported after the limit is set back.
	_, evictErr := conn.ExecContext(ctx, "SET memory_limit = '1B'")
	if evictErr != nil && strings.Contains(evictErr.Error(), "could not free up enough memory") {
		evictErr = nil
	}
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), "SET memory_limit = "+Literal(limit)); err != nil {
		return fmt.Errorf("release cache: set memory_limit back to %s: %w", limit, err)
	}
	if evictErr != nil {
		return fmt.Errorf("release cache: %w", evictErr)
	}
	return nil
}

// Close checkpoints a writable file and releases it.
func (db *DB) Close() error {
	var errs []error
	if !db.readOnly {
		db.mu.Lock()
		if _, err := db.sql.Exec("CHECKPOINT"); err != nil {
			errs = append(errs, fmt.Errorf("checkpoint: %w", err))
		}
		db.mu.Unlock()
	}
	if err := db.sql.Close(); err != nil {
		errs = append(errs, err)
	}
	if err := db.connector.Close(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("close warehouse: %w", errors.Join(errs...))
	}
	return nil
}

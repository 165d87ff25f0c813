package duckdb

import (
	"fmt"
	"time"
)

// DuckDB allocates through its own jemalloc (on Linux). Memory a query frees
// is kept by jemalloc as dirty pages for reuse and returned to the system
// only after dirty_decay_ms (DuckDB sets 1 s), so during a build of short
// queries the pages freed by one operator or model stay resident while the
// next ones allocate more: at city scale the freed-but-kept pages were about
// 60 MiB of the run's peak (docs/PERFORMANCE.md, "the lean build").

// AllocatorStats are DuckDB's allocator's totals, in bytes: what DuckDB has
// allocated and what the allocator holds resident (allocated, its metadata
// and the freed pages it keeps).
type AllocatorStats struct {
	Allocated, Resident uint64
}

// ReadAllocatorStats reads DuckDB's allocator's totals; an error where
// DuckDB does not use its jemalloc.
func ReadAllocatorStats() (AllocatorStats, error) { return allocatorStats() }

// PurgeAllocator returns the pages DuckDB's allocator keeps freed to the
// system at once (a no-op where DuckDB does not use its jemalloc).
func PurgeAllocator() error { return allocatorPurge() }

// ReturnFreedMemory makes DuckDB's allocator return the memory DuckDB frees
// to the system after decay instead of about a second, through jemalloc's
// background threads (so that the purging does not wait for the next
// allocation in the arena), and returns what it keeps now; restore sets the
// previous behaviour back. A decay of 0 returns freed pages at once, in
// the thread that frees them, which costs the most system time (pages
// given back and faulted in again). Call it with the database open:
// opening a database turns the background threads off again (DuckDB's
// allocator_background_threads setting, false by default).
func ReturnFreedMemory(decay time.Duration) (restore func() error, err error) {
	if !allocatorControl {
		return func() error { return nil }, nil
	}
	dirty, muzzy, err := allocatorDecay()
	if err != nil {
		return nil, err
	}
	background := false
	if decay > 0 {
		if background, err = setAllocatorBackground(true); err != nil {
			return nil, err
		}
	}
	if err := setAllocatorDecay(decay, 0); err != nil {
		return nil, err
	}
	if err := allocatorPurge(); err != nil {
		return nil, err
	}
	return func() error {
		if err := setAllocatorDecay(dirty, muzzy); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if decay > 0 && !background {
			if _, err := setAllocatorBackground(false); err != nil {
				return fmt.Errorf("restore: %w", err)
			}
		}
		return nil
	}, nil
}

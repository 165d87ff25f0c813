package duckdb

import (
	"fmt"
)

// DuckDB allocates through its own jemalloc (on Linux). Memory a query frees
// is kept by jemalloc as dirty pages for reuse and returned to the system
// only after dirty_decay_ms (DuckDB sets 1 s), so during a build of short
// queries the pages freed by one operator or model stay resident while the
// next ones allocate more: at city scale the freed-but-kept pages were about
// 60 MiB of the run's peak (docs/perf-notes-memory.md).

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
// to the system at once instead of keeping it for a second, and returns
// what it keeps now; restore sets the previous behaviour back. It costs
// system time (pages are given back and faulted in again), so it is meant
// for the jobs whose peak it sets, the model build.
func ReturnFreedMemory() (restore func() error, err error) {
	if !allocatorControl {
		return func() error { return nil }, nil
	}
	dirty, muzzy, err := allocatorDecay()
	if err != nil {
		return nil, err
	}
	if err := setAllocatorDecay(0, 0); err != nil {
		return nil, err
	}
	if err := allocatorPurge(); err != nil {
		return nil, err
	}
	return func() error {
		if err := setAllocatorDecay(dirty, muzzy); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		return nil
	}, nil
}

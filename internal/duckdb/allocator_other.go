//go:build !(linux && (amd64 || arm64) && !duckdb_use_lib && !duckdb_use_static_lib)

package duckdb

import (
	"errors"
	"time"
)

// Elsewhere DuckDB is built without its jemalloc (or linked from a library
// this package cannot assume has it): nothing to control.
const allocatorControl = false

var errNoAllocatorControl = errors.New("duckdb allocator: not DuckDB's jemalloc on this platform")

func allocatorPurge() error                                   { return nil }
func allocatorDecay() (dirty, muzzy time.Duration, err error) { return 0, 0, errNoAllocatorControl }
func setAllocatorDecay(dirty, muzzy time.Duration) error      { return nil }
func setAllocatorBackground(on bool) (bool, error)            { return false, nil }
func allocatorBackground() (bool, error)                      { return false, nil }
func allocatorStats() (AllocatorStats, error)                 { return AllocatorStats{}, errNoAllocatorControl }

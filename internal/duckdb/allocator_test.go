package duckdb

import (
	"context"
	"testing"
	"time"
)

// openMemory opens an in-memory database, left open until the test ends
// (closing it flushes the allocator).
func openMemory(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), Memory, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// freeSomeMemory runs a query whose working memory (a sort of a few million
// rows) DuckDB allocates and frees again.
func freeSomeMemory(t *testing.T, db *DB) {
	t.Helper()
	var n int64
	if err := db.SQL().QueryRow(`SELECT count(*) FROM (SELECT i, md5(i::VARCHAR) AS s FROM range(2000000) t(i) ORDER BY s)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
}

func TestPurgeAllocatorReturnsFreedMemory(t *testing.T) {
	if !allocatorControl {
		t.Skip("DuckDB does not use its jemalloc here")
	}
	db := openMemory(t)
	restore, err := ReturnFreedMemory(0)
	if err != nil {
		t.Fatal(err)
	}
	// Keep freed pages for a minute while the query runs: they stay resident.
	if err := setAllocatorDecay(time.Minute, time.Minute); err != nil {
		t.Fatal(err)
	}
	freeSomeMemory(t, db)
	before, err := ReadAllocatorStats()
	if err != nil {
		t.Fatal(err)
	}
	if err := PurgeAllocator(); err != nil {
		t.Fatal(err)
	}
	after, err := ReadAllocatorStats()
	if err != nil {
		t.Fatal(err)
	}
	if err := restore(); err != nil {
		t.Fatal(err)
	}
	t.Logf("resident %d MiB (allocated %d MiB) → after purge %d MiB (allocated %d MiB)", before.Resident>>20, before.Allocated>>20, after.Resident>>20, after.Allocated>>20)
	if kept := before.Resident - before.Allocated; kept < 16<<20 {
		t.Fatalf("the query left %d MiB freed but resident; want a test that frees more", kept>>20)
	}
	if after.Resident > before.Resident-(before.Resident-before.Allocated)/2 {
		t.Errorf("purge returned too little: resident %d → %d MiB", before.Resident>>20, after.Resident>>20)
	}
}

func TestReturnFreedMemory(t *testing.T) {
	if !allocatorControl {
		t.Skip("DuckDB does not use its jemalloc here")
	}
	dirty0, muzzy0, err := allocatorDecay()
	if err != nil {
		t.Fatal(err)
	}
	db := openMemory(t)
	restore, err := ReturnFreedMemory(0)
	if err != nil {
		t.Fatal(err)
	}
	if d, m, _ := allocatorDecay(); d != 0 || m != 0 {
		t.Errorf("while returning freed memory: decay %v / %v, want 0 / 0", d, m)
	}
	// Memory a query frees goes back at once: little stays resident beyond
	// what is allocated.
	freeSomeMemory(t, db)
	s, err := ReadAllocatorStats()
	if err != nil {
		t.Fatal(err)
	}
	if kept := s.Resident - s.Allocated; kept > 16<<20 {
		t.Errorf("%d MiB freed but resident after the query, want it returned", kept>>20)
	}
	if err := restore(); err != nil {
		t.Fatal(err)
	}
	if d, m, _ := allocatorDecay(); d != dirty0 || m != muzzy0 {
		t.Errorf("restored decay %v / %v, want %v / %v", d, m, dirty0, muzzy0)
	}
}

func TestReturnFreedMemoryAfterDecay(t *testing.T) {
	if !allocatorControl {
		t.Skip("DuckDB does not use its jemalloc here")
	}
	bg0, err := allocatorBackground()
	if err != nil {
		t.Fatal(err)
	}
	// Opening a database turns the background threads off (DuckDB's
	// allocator_background_threads): open first.
	db := openMemory(t)
	restore, err := ReturnFreedMemory(50 * time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if on, _ := allocatorBackground(); !on {
		t.Error("background threads off while returning freed memory after a decay")
	}
	freeSomeMemory(t, db)
	// The background threads purge what the query freed without another
	// allocation: within a few decay periods.
	var kept uint64
	for range 40 {
		time.Sleep(50 * time.Millisecond)
		s, err := ReadAllocatorStats()
		if err != nil {
			t.Fatal(err)
		}
		if kept = s.Resident - s.Allocated; kept <= 16<<20 {
			break
		}
	}
	if kept > 16<<20 {
		t.Errorf("%d MiB freed but resident 2 s after the query, want it returned", kept>>20)
	}
	if err := restore(); err != nil {
		t.Fatal(err)
	}
	if on, _ := allocatorBackground(); on != bg0 {
		t.Errorf("background threads %v after restore, want %v", on, bg0)
	}
}

//go:build linux && (amd64 || arm64) && !duckdb_use_lib && !duckdb_use_static_lib

package duckdb

/*
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

// DuckDB's own jemalloc, linked into the binary with DuckDB (the prebuilt
// libduckdb_static.a of duckdb-go-bindings on Linux, symbols prefixed
// duckdb_je_). Every allocation DuckDB makes goes through it, not malloc.
extern int duckdb_je_mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

// 4096 is MALLCTL_ARENAS_ALL.
static int iw_purge_all(void) {
	return duckdb_je_mallctl("arena.4096.purge", NULL, NULL, NULL, 0);
}

static int iw_get_ssize(const char *name, ssize_t *v) {
	size_t sz = sizeof(*v);
	return duckdb_je_mallctl(name, v, &sz, NULL, 0);
}

static int iw_set_ssize(const char *name, ssize_t v) {
	return duckdb_je_mallctl(name, NULL, NULL, &v, sizeof(v));
}

// The decay times of new arenas and of every arena that exists.
static int iw_set_decay(ssize_t dirty, ssize_t muzzy) {
	int rc;
	if ((rc = iw_set_ssize("arenas.dirty_decay_ms", dirty)) != 0) return rc;
	if ((rc = iw_set_ssize("arenas.muzzy_decay_ms", muzzy)) != 0) return rc;
	unsigned n = 0;
	size_t sz = sizeof(n);
	if ((rc = duckdb_je_mallctl("arenas.narenas", &n, &sz, NULL, 0)) != 0) return rc;
	char name[64];
	for (unsigned i = 0; i < n; i++) {
		// An arena not created yet answers EFAULT: it will start with the
		// defaults set above.
		snprintf(name, sizeof(name), "arena.%u.dirty_decay_ms", i);
		if ((rc = iw_set_ssize(name, dirty)) != 0 && rc != EFAULT) return rc;
		snprintf(name, sizeof(name), "arena.%u.muzzy_decay_ms", i);
		if ((rc = iw_set_ssize(name, muzzy)) != 0 && rc != EFAULT) return rc;
	}
	return 0;
}

static int iw_background(bool on, bool *was) {
	size_t sz = sizeof(*was);
	return duckdb_je_mallctl("background_thread", was, &sz, &on, sizeof(on));
}

static int iw_background_get(bool *on) {
	size_t sz = sizeof(*on);
	return duckdb_je_mallctl("background_thread", on, &sz, NULL, 0);
}

static int iw_stat(const char *name, size_t *v) {
	uint64_t epoch = 1;
	size_t sz = sizeof(epoch);
	int rc = duckdb_je_mallctl("epoch", &epoch, &sz, &epoch, sz);
	if (rc != 0) return rc;
	sz = sizeof(*v);
	return duckdb_je_mallctl(name, v, &sz, NULL, 0);
}
*/
import "C"

import (
	"fmt"
	"time"
	"unsafe"
)

const allocatorControl = true

func allocatorPurge() error {
	if rc := C.iw_purge_all(); rc != 0 {
		return fmt.Errorf("duckdb allocator: purge: error %d", int(rc))
	}
	return nil
}

func allocatorDecay() (dirty, muzzy time.Duration, err error) {
	var d, m C.ssize_t
	cd, cm := C.CString("arenas.dirty_decay_ms"), C.CString("arenas.muzzy_decay_ms")
	defer C.free(unsafe.Pointer(cd))
	defer C.free(unsafe.Pointer(cm))
	if rc := C.iw_get_ssize(cd, &d); rc != 0 {
		return 0, 0, fmt.Errorf("duckdb allocator: read dirty decay: error %d", int(rc))
	}
	if rc := C.iw_get_ssize(cm, &m); rc != 0 {
		return 0, 0, fmt.Errorf("duckdb allocator: read muzzy decay: error %d", int(rc))
	}
	return time.Duration(d) * time.Millisecond, time.Duration(m) * time.Millisecond, nil
}

func setAllocatorDecay(dirty, muzzy time.Duration) error {
	if rc := C.iw_set_decay(C.ssize_t(dirty.Milliseconds()), C.ssize_t(muzzy.Milliseconds())); rc != 0 {
		return fmt.Errorf("duckdb allocator: set decay: error %d", int(rc))
	}
	return nil
}

// setAllocatorBackground turns jemalloc's background threads (which purge
// freed pages after their decay time without waiting for the next
// allocation) on or off and returns whether they were on.
func setAllocatorBackground(on bool) (was bool, err error) {
	var w C.bool
	if rc := C.iw_background(C.bool(on), &w); rc != 0 {
		return false, fmt.Errorf("duckdb allocator: background threads: error %d", int(rc))
	}
	return bool(w), nil
}

func allocatorBackground() (bool, error) {
	var on C.bool
	if rc := C.iw_background_get(&on); rc != 0 {
		return false, fmt.Errorf("duckdb allocator: background threads: error %d", int(rc))
	}
	return bool(on), nil
}

func allocatorStats() (AllocatorStats, error) {
	var s AllocatorStats
	for _, f := range []struct {
		name string
		v    *uint64
	}{{"stats.allocated", &s.Allocated}, {"stats.resident", &s.Resident}} {
		cs := C.CString(f.name)
		var v C.size_t
		rc := C.iw_stat(cs, &v)
		C.free(unsafe.Pointer(cs))
		if rc != 0 {
			return s, fmt.Errorf("duckdb allocator: %s: error %d", f.name, int(rc))
		}
		*f.v = uint64(v)
	}
	return s, nil
}

//go:build linux && cgo

package duckdb

/*
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// One malloc arena for the whole process (see the Go comment below), set
// when the program is loaded: before the Go runtime or DuckDB starts a
// thread, since a thread's arena, once made, stays. MALLOC_ARENA_MAX in
// the environment (glibc's own setting) wins.
__attribute__((constructor)) static void iw_one_malloc_arena(void) {
#ifdef M_ARENA_MAX
	if (getenv("MALLOC_ARENA_MAX") == NULL) mallopt(M_ARENA_MAX, 1);
#endif
}

// The number of arenas malloc_info describes (-1 when it cannot tell).
static int iw_arenas(void) {
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL) return -1;
	int rc = malloc_info(0, f);
	fclose(f);
	if (rc != 0) { free(buf); return -1; }
	int n = 0;
	for (char *p = buf; (p = strstr(p, "<heap nr=")) != NULL; p++) n++;
	free(buf);
	return n;
}

// Allocate and free from the calling thread: its first allocation binds
// it to an arena.
static void iw_malloc_touch(void) {
	void *p = malloc(4096);
	if (p != NULL) memset(p, 1, 4096);
	free(p);
}
*/
import "C"

// A process that links this package serves every thread's malloc from one
// arena (glibc; musl has none to set). DuckDB allocates table data and
// operator memory through its own jemalloc (allocator.go) but its C++
// objects (plans, catalog entries, strings, the planner's hash maps)
// through malloc, and glibc gives every thread that allocates an arena of
// its own (up to eight per core), each keeping its freed chunks: at city
// scale 18–20 MiB of arenas, 11–13 MiB of them free, through the build and
// the render. With one arena the threads reuse each other's free chunks:
// `innowatch run` at city scale peaks about 6 MiB lower; a national run's
// time moved within this machine's noise, perhaps a few per cent of CPU
// (docs/PERFORMANCE.md, "fifth session"). MALLOC_ARENA_MAX in the
// environment overrides it.

// mallocArenas is the number of arenas malloc has made, -1 if unknown.
func mallocArenas() int { return int(C.iw_arenas()) }

// mallocTouch allocates from the calling thread.
func mallocTouch() { C.iw_malloc_touch() }

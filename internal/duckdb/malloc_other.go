//go:build !(linux && cgo)

package duckdb

// Only glibc's malloc (Linux) is set to one arena (malloc_glibc.go).

func mallocArenas() int { return -1 }

func mallocTouch() {}

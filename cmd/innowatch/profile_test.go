package main

import (
	"context"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"testing"
)

// BenchmarkCommand runs the command line in INNOWATCH_BENCH_ARGS in this
// process b.N times, from the folder INNOWATCH_BENCH_DIR (for short commands
// such as a no-op run, where one run gives the profiler too few samples):
//
//	INNOWATCH_BENCH_DIR=/tmp/city INNOWATCH_BENCH_ARGS="run --data in" \
//	INNOWATCH_BENCH_CPUPROFILE=/tmp/cli-cpu.pprof \
//	go test ./cmd/innowatch -run '^$' -bench Command -benchtime 30x
//
// One run before the timer and the profile: the render state names the
// program, so the first run of a new binary renders the site again.
//
// With INNOWATCH_BENCH_FRESH=1 each run starts in a new empty folder instead
// (give the data as an absolute path), to profile a full run rather than a
// no-op rerun:
//
//	INNOWATCH_BENCH_DIR=/tmp INNOWATCH_BENCH_FRESH=1 \
//	INNOWATCH_BENCH_ARGS="run --data /tmp/city/in" \
//	INNOWATCH_BENCH_CPUPROFILE=/tmp/run-cpu.pprof \
//	go test ./cmd/innowatch -run '^$' -bench Command -benchtime 10x
func BenchmarkCommand(b *testing.B) {
	args := strings.Fields(os.Getenv("INNOWATCH_BENCH_ARGS"))
	dir := os.Getenv("INNOWATCH_BENCH_DIR")
	if len(args) == 0 || dir == "" {
		b.Skip("set INNOWATCH_BENCH_DIR and INNOWATCH_BENCH_ARGS (see the comment)")
	}
	b.Chdir(dir)
	fresh := os.Getenv("INNOWATCH_BENCH_FRESH") != ""
	run := func() {
		if fresh {
			b.StopTimer()
			b.Chdir(b.TempDir())
			b.StartTimer()
		}
		if code := Main(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("innowatch %v: exit %d", args, code)
		}
	}
	run()
	if path := os.Getenv("INNOWATCH_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	b.ResetTimer()
	for b.Loop() {
		run()
	}
}

package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync/atomic"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/pipelines"
)

// profileIngest runs the ingest command's code on file into the migrated
// warehouse at path (open, catalog, run row, pipelines.Ingest, close) with a
// CPU profile and a heap profile taken when the Go heap was largest, and
// prints the top entries of each (go tool pprof -top).
func profileIngest(file, path, dir string) {
	ctx := context.Background()
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		log.Fatal(err)
	}
	// The heap profile is written each time the Go heap in use reaches a new
	// high: the last one written shows what was held at the peak.
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
				writeHeap(filepath.Join(dir, "heap-peak.pprof"))
			}
		}
	}()
	start := time.Now()
	db, err := duckdb.Open(ctx, path, duckdb.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		log.Fatal(err)
	}
	runID, err := db.StartRun(ctx, duckdb.RunSpec{Kind: "ingest"}, time.Now())
	if err != nil {
		log.Fatal(err)
	}
	l := &pipelines.Loader{DB: db, Now: time.Now}
	res, err := pipelines.Ingest(ctx, l, cat, runID, []pipelines.File{{Name: filepath.Base(file), Path: file}}, pipelines.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if err := db.Close(); err != nil {
		log.Fatal(err)
	}
	wall := time.Since(start)
	close(done)
	<-sampled
	pprof.StopCPUProfile()
	cpu.Close()
	writeHeap(filepath.Join(dir, "heap-end.pprof"))
	fmt.Printf("ingest %d facts in %s; Go heap in use at most %.0f MiB\n", res[0].Facts, wall.Round(time.Millisecond), float64(peak.Load())/(1<<20))
	self, _ := os.Executable()
	for _, p := range [][]string{
		{"-top", "-nodecount=25", self, filepath.Join(dir, "cpu.pprof")},
		{"-top", "-cum", "-nodecount=25", self, filepath.Join(dir, "cpu.pprof")},
		{"-top", "-sample_index=inuse_space", "-nodecount=15", self, filepath.Join(dir, "heap-peak.pprof")},
		{"-top", "-sample_index=alloc_space", "-nodecount=15", self, filepath.Join(dir, "heap-end.pprof")},
	} {
		out, err := exec.Command("go", append([]string{"tool", "pprof"}, p...)...).CombinedOutput()
		fmt.Printf("\n$ go tool pprof %v\n%s", p[:len(p)-2], out)
		if err != nil {
			fmt.Println(err)
		}
	}
}

func writeHeap(path string) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
}

package pipelines

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/pipelines/benchdata"
)

// BenchmarkIngestLongCSV compares, in the same process and on the same
// generated file, innowatch's ingest of a long CSV (parse, validate, stage,
// load as a vintage) with DuckDB's own INSERT … SELECT … FROM read_csv(…).
// INNOWATCH_BENCH_ROWS sets the size (default 1,000,000; docs/PERFORMANCE.md
// reports 10,000,000):
//
//	INNOWATCH_BENCH_ROWS=10000000 go test ./pipelines -run '^$' -bench IngestLongCSV -benchtime 1x -timeout 30m
func BenchmarkIngestLongCSV(b *testing.B) {
	rows := 1_000_000
	if s := os.Getenv("INNOWATCH_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		rows = n
	}
	dir := b.TempDir()
	csvPath := filepath.Join(dir, "long.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	if err := benchdata.WriteLongCSV(f, rows, 1); err != nil {
		b.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	open := func(name string) *duckdb.DB {
		db, err := duckdb.Open(ctx, filepath.Join(dir, name), duckdb.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		if err := benchdata.SeedRegions(ctx, db.SQL(), benchdata.RegionsFor(rows)); err != nil {
			b.Fatal(err)
		}
		return db
	}
	if testing.Verbose() {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	var duck, ours, parse time.Duration
	var duckCPU, oursCPU time.Duration
	b.Run("parse_validate", func(b *testing.B) {
		db := open("parse.duckdb")
		cat, err := db.LoadCatalog(ctx)
		db.Close()
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < b.N; i++ {
			t0, c0 := time.Now(), cpuTime()
			batch := ParseWith(ctx, File{Name: "long.csv", Path: csvPath}, cat, ReadOptions{})
			parse = time.Since(t0)
			b.ReportMetric((cpuTime() - c0).Seconds(), "cpu-s")
			if batch.HasErrors() || batch.Len() != rows {
				b.Fatalf("parse: %d facts, %v", batch.Len(), batch.Problems)
			}
		}
		b.ReportMetric(float64(rows)/parse.Seconds(), "rows/s")
	})
	b.Run("duckdb_read_csv", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			db := open("base" + strconv.Itoa(i) + ".duckdb")
			t0, c0 := time.Now(), cpuTime()
			n, err := benchdata.DuckDBBaseline(ctx, db.SQL(), csvPath)
			if err != nil || n != int64(rows) {
				b.Fatalf("baseline: %d rows, %v", n, err)
			}
			duck, duckCPU = time.Since(t0), cpuTime()-c0
			db.Close()
		}
		b.ReportMetric(float64(rows)/duck.Seconds(), "rows/s")
	})
	b.Run("innowatch_ingest", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			db := open("ours" + strconv.Itoa(i) + ".duckdb")
			cat, err := db.LoadCatalog(ctx)
			if err != nil {
				b.Fatal(err)
			}
			l := &Loader{DB: db, Now: time.Now}
			t0, c0 := time.Now(), cpuTime()
			res, err := Ingest(ctx, l, cat, 1, []File{{Name: "long.csv", Path: csvPath}}, Options{})
			if err != nil || res[0].New != int64(rows) {
				b.Fatalf("ingest: %+v, %v", res, err)
			}
			ours, oursCPU = time.Since(t0), cpuTime()-c0
			db.Close()
		}
		b.ReportMetric(float64(rows)/ours.Seconds(), "rows/s")
	})
	if duck > 0 && ours > 0 {
		b.Logf("%d rows: duckdb %s (cpu %s), innowatch %s (cpu %s; parse and validate alone %s): %.2f× DuckDB's rows/s, %.2f× per cpu second",
			rows, duck.Round(time.Millisecond), duckCPU.Round(time.Millisecond), ours.Round(time.Millisecond), oursCPU.Round(time.Millisecond),
			parse.Round(time.Millisecond), duck.Seconds()/ours.Seconds(), duckCPU.Seconds()/oursCPU.Seconds())
	}
}

// cpuTime is the CPU time (user + system) of the whole process, DuckDB's
// threads included: on a shared machine a steadier yardstick than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkParseLongXLSX reads a long-layout workbook (streamed, validated,
// checked for plausibility). INNOWATCH_BENCH_XLSX names an existing workbook
// written by `go run ./pipelines/benchdata/gen -xlsx FILE` (its regions are
// seeded into the catalog); without it 50,000 rows are generated.
func BenchmarkParseLongXLSX(b *testing.B) {
	rows := 50_000
	path := os.Getenv("INNOWATCH_BENCH_XLSX")
	if path == "" {
		path = filepath.Join(b.TempDir(), "long.xlsx")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := benchdata.WriteLongXLSX(f, rows, 1); err != nil {
			b.Fatal(err)
		}
		f.Close()
	} else if n, err := strconv.Atoi(os.Getenv("INNOWATCH_BENCH_ROWS")); err == nil {
		rows = n
	}
	ctx := context.Background()
	db, err := duckdb.Open(ctx, filepath.Join(b.TempDir(), "x.duckdb"), duckdb.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if err := benchdata.SeedRegions(ctx, db.SQL(), benchdata.RegionsFor(rows)); err != nil {
		b.Fatal(err)
	}
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		batch := ParseWith(ctx, File{Name: "long.xlsx", Path: path}, cat, ReadOptions{})
		if batch.HasErrors() || batch.Len() != rows {
			b.Fatalf("parse: %d facts, %v", batch.Len(), batch.Problems)
		}
		if err := (*Loader)(nil).CheckPlausible(ctx, batch, cat, time.Now(), nil); err != nil || batch.HasErrors() {
			b.Fatalf("plausibility: %v %v", err, batch.Problems)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

package pipelines

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
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
	var duck, ours time.Duration
	b.Run("duckdb_read_csv", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			db := open("base" + strconv.Itoa(i) + ".duckdb")
			t0 := time.Now()
			n, err := benchdata.DuckDBBaseline(ctx, db.SQL(), csvPath)
			if err != nil || n != int64(rows) {
				b.Fatalf("baseline: %d rows, %v", n, err)
			}
			duck = time.Since(t0)
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
			t0 := time.Now()
			res, err := Ingest(ctx, l, cat, 1, []File{{Name: "long.csv", Path: csvPath}}, Options{})
			if err != nil || res[0].New != int64(rows) {
				b.Fatalf("ingest: %+v, %v", res, err)
			}
			ours = time.Since(t0)
			db.Close()
		}
		b.ReportMetric(float64(rows)/ours.Seconds(), "rows/s")
	})
	if duck > 0 && ours > 0 {
		b.Logf("%d rows: duckdb %s, innowatch %s: %.2f× DuckDB's rows/s", rows, duck.Round(time.Millisecond),
			ours.Round(time.Millisecond), duck.Seconds()/ours.Seconds())
	}
}

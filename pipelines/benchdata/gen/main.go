// Command gen writes the ingestion benchmark's input and measures DuckDB's
// own load of it, the yardstick of docs/PERFORMANCE.md:
//
//	go run ./pipelines/benchdata/gen -rows 10000000 -csv /tmp/long.csv -db /tmp/bench.duckdb
//	go run ./pipelines/benchdata/gen -rows 10000000 -csv /tmp/long.csv -db /tmp/base.duckdb -duckdb
//
// The first writes the CSV and a migrated warehouse knowing the synthetic
// regions (then time `innowatch ingest --db /tmp/bench.duckdb /tmp/long.csv`);
// with -duckdb it also times INSERT … SELECT … FROM read_csv(…) of the file;
// -xlsx FILE also writes the same rows as a workbook (one long sheet).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/pipelines/benchdata"
)

func main() {
	rows := flag.Int("rows", 10_000_000, "facts to generate")
	csvPath := flag.String("csv", "long.csv", "CSV file to write (kept if it exists with -keep)")
	keep := flag.Bool("keep", false, "reuse an existing CSV instead of writing it again")
	dbPath := flag.String("db", "", "warehouse to create and seed with the synthetic regions")
	baseline := flag.Bool("duckdb", false, "time DuckDB's own read_csv load of the file into the warehouse")
	xlsxPath := flag.String("xlsx", "", "also write the same rows as a long-layout workbook here")
	flag.Parse()
	if *xlsxPath != "" {
		if err := writeXLSX(*rows, *xlsxPath); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	if err := run(*rows, *csvPath, *keep, *dbPath, *baseline); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(rows int, csvPath string, keep bool, dbPath string, baseline bool) error {
	ctx := context.Background()
	if _, err := os.Stat(csvPath); !keep || err != nil {
		f, err := os.Create(csvPath)
		if err != nil {
			return err
		}
		t0 := time.Now()
		if err := benchdata.WriteLongCSV(f, rows, 1); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Printf("wrote %s: %d rows in %s\n", csvPath, rows, time.Since(t0).Round(time.Millisecond))
	}
	if dbPath == "" {
		return nil
	}
	db, err := duckdb.Open(ctx, dbPath, duckdb.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	if err := benchdata.SeedRegions(ctx, db.SQL(), benchdata.RegionsFor(rows)); err != nil {
		return err
	}
	fmt.Printf("seeded %s with %d synthetic regions\n", dbPath, benchdata.RegionsFor(rows))
	if !baseline {
		return nil
	}
	t0 := time.Now()
	n, err := benchdata.DuckDBBaseline(ctx, db.SQL(), csvPath)
	if err != nil {
		return err
	}
	d := time.Since(t0)
	fmt.Printf("duckdb read_csv: %d rows in %s = %.0f rows/s\n", n, d.Round(time.Millisecond), float64(n)/d.Seconds())
	return db.Checkpoint(ctx)
}

func writeXLSX(rows int, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := benchdata.WriteLongXLSX(f, rows, 1); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d rows in %s\n", path, rows, time.Since(t0).Round(time.Millisecond))
	return nil
}

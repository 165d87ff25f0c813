// Command bench measures innowatch against DuckDB doing the same work
// directly, at city, province and national scale, on the same generated
// files in the same run. It prints a Markdown report (docs/PERFORMANCE.md
// holds the recorded one). Timings are measured, never asserted.
//
//	go run ./scripts/bench [-scales city,province,national] [-bin ./innowatch] [-work DIR]
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/linyi-sti/innowatch/models"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

type measure struct {
	wall time.Duration
	rss  int64 // peak resident set, bytes
	out  string
}

func run(bin, dir string, args ...string) measure {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	m := measure{wall: time.Since(start), out: string(out)}
	if err != nil {
		log.Fatalf("%s %v: %v\n%s", bin, args, err, out)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rss = ru.Maxrss * 1024
	}
	return m
}

func main() {
	scales := flag.String("scales", "city,province,national", "scales to measure")
	bin := flag.String("bin", "./innowatch", "innowatch binary")
	work := flag.String("work", "", "work folder (default: a temporary one, removed)")
	flag.Parse()
	binAbs, err := filepath.Abs(*bin)
	if err != nil {
		log.Fatal(err)
	}
	dir := *work
	if dir == "" {
		dir, err = os.MkdirTemp("", "innowatch-bench-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	host, _ := os.Hostname()
	fmt.Printf("Machine: %s, %d cores (%s/%s), %s; innowatch %s\n\n", host, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, time.Now().Format(time.DateOnly), binAbs)
	fmt.Println("| scale | rows | step | innowatch | DuckDB directly | ratio | peak RSS |")
	fmt.Println("|---|---:|---|---:|---:|---:|---:|")
	for _, scale := range strings.Split(*scales, ",") {
		benchScale(binAbs, filepath.Join(dir, scale), scale)
	}
}

func benchScale(bin, dir, scale string) {
	os.MkdirAll(dir, 0o755)
	run(bin, dir, "gen", "--scale", scale, "--out", "in")
	file := filepath.Join(dir, "in", "facts_"+scale+".csv")
	rows := countLines(file) - 1

	// Ingest vs INSERT … SELECT … FROM read_csv of the same file.
	ing := run(bin, dir, "ingest", file)
	base := duckdbIngest(filepath.Join(dir, "baseline.duckdb"), file)
	row(scale, rows, "ingest (rows/s)", fmt.Sprintf("%.0f", float64(rows)/ing.wall.Seconds()),
		fmt.Sprintf("%.0f", float64(rows)/base.Seconds()), base.Seconds()/ing.wall.Seconds(), ing.rss)

	// Full build vs the same model SQL run directly, in the same order.
	copyFile(filepath.Join(dir, "warehouse.duckdb"), filepath.Join(dir, "direct.duckdb"))
	copyFile(filepath.Join(dir, "warehouse.duckdb"), filepath.Join(dir, "direct-tx.duckdb"))
	full := run(bin, dir, "build", "--full-refresh")
	direct := duckdbModels(filepath.Join(dir, "direct.duckdb"), false)
	directTx := duckdbModels(filepath.Join(dir, "direct-tx.duckdb"), true)
	modelsTime, testsTime := stepTimes(full.out)
	row(scale, rows, "build: the models' SQL (runner vs direct)", secs(modelsTime), secs(direct), modelsTime.Seconds()/direct.Seconds(), 0)
	row(scale, rows, "build: the models' SQL vs direct in one transaction", secs(modelsTime), secs(directTx), modelsTime.Seconds()/directTx.Seconds(), 0)
	row(scale, rows, "build: data tests (runner only)", secs(testsTime), "", 0, 0)
	row(scale, rows, "build: whole command", secs(full.wall), secs(direct), full.wall.Seconds()/direct.Seconds(), full.rss)

	rend := run(bin, dir, "render", "--out", "site")
	bul := run(bin, dir, "bulletin", "--out", "site", "--no-pdf")
	row(scale, rows, "bulletin (HTML + Markdown, re-render)", secs(bul.wall), "", 0, bul.rss)
	row(scale, rows, "render", secs(rend.wall), "", 0, rend.rss)

	// Nothing changed: a rebuild and a re-render, against the full run.
	noopBuild := run(bin, dir, "build")
	noopRender := run(bin, dir, "render", "--out", "site")
	fullRun := ing.wall + full.wall + rend.wall
	noop := noopBuild.wall + noopRender.wall
	row(scale, rows, "no-op build + render", secs(noop), "", 0, max(noopBuild.rss, noopRender.rss))
	fmt.Printf("| %s | %d | no-op ÷ full run | %.1f %% | | | |\n", scale, rows, 100*noop.Seconds()/fullRun.Seconds())
	fmt.Printf("| %s | %d | site size | %s | | | |\n", scale, rows, du(filepath.Join(dir, "site")))
}

// stepTimes sums the per-model and per-test times innowatch build prints
// ("built      NAME  table  N rows  1.2s  reason", "passed     NAME ... 35ms").
func stepTimes(out string) (models, tests time.Duration) {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || (f[0] != "built" && f[0] != "passed" && f[0] != "warned" && f[0] != "failed") {
			continue
		}
		for _, x := range f[2:] {
			if !strings.HasSuffix(x, "s") { // "0" parses as a duration too
				continue
			}
			if d, err := time.ParseDuration(x); err == nil {
				if f[0] == "built" {
					models += d
				} else {
					tests += d
				}
				break
			}
		}
	}
	return models, tests
}

func row(scale string, rows int64, step, ours, theirs string, ratio float64, rss int64) {
	r := ""
	if ratio > 0 {
		r = fmt.Sprintf("%.2f×", ratio)
	}
	mem := ""
	if rss > 0 {
		mem = fmt.Sprintf("%.0f MB", float64(rss)/1e6)
	}
	fmt.Printf("| %s | %d | %s | %s | %s | %s | %s |\n", scale, rows, step, ours, theirs, r, mem)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func duckdbIngest(path, file string) time.Duration {
	db := open(path)
	defer db.Close()
	mustExec(db, `CREATE TABLE facts_raw (region_code VARCHAR, period VARCHAR, indicator VARCHAR, value DOUBLE,
		unit VARCHAR, status VARCHAR, note VARCHAR)`)
	start := time.Now()
	mustExec(db, fmt.Sprintf(`INSERT INTO facts_raw SELECT * FROM read_csv('%s', header = true,
		columns = {'region_code': 'VARCHAR', 'period': 'VARCHAR', 'indicator': 'VARCHAR', 'value': 'DOUBLE',
		'unit': 'VARCHAR', 'status': 'VARCHAR', 'note': 'VARCHAR'})`, strings.ReplaceAll(file, "'", "''")))
	mustExec(db, "CHECKPOINT")
	return time.Since(start)
}

// duckdbModels runs every model's SQL directly, in dependency order, as
// CREATE TABLE/VIEW: the work the runner does, without it. With oneTx the
// statements share one transaction, as the runner's all-or-nothing build does.
func duckdbModels(path string, oneTx bool) time.Duration {
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		log.Fatal(err)
	}
	ordered, err := models.Order(ms)
	if err != nil {
		log.Fatal(err)
	}
	db := open(path)
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: BEGIN and the statements share it
	start := time.Now()
	if oneTx {
		mustExec(db, "BEGIN TRANSACTION")
	}
	for _, m := range ordered {
		kind := "TABLE"
		if m.Materialized == models.View {
			kind = "VIEW"
		}
		mustExec(db, fmt.Sprintf("DROP TABLE IF EXISTS %q", m.Name))
		mustExec(db, fmt.Sprintf("DROP VIEW IF EXISTS %q", m.Name))
		mustExec(db, fmt.Sprintf("CREATE %s %q AS\n%s", kind, m.Name, m.SQL))
	}
	if oneTx {
		mustExec(db, "COMMIT")
	}
	mustExec(db, "CHECKPOINT")
	return time.Since(start)
}

func open(path string) *sql.DB {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		log.Fatal(err)
	}
	if err := db.PingContext(context.Background()); err != nil {
		log.Fatal(err)
	}
	return db
}

func mustExec(db *sql.DB, q string) {
	if _, err := db.Exec(q); err != nil {
		log.Fatalf("%v\n%s", err, q)
	}
}

func copyFile(src, dst string) {
	in, err := os.Open(src)
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		log.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		log.Fatal(err)
	}
}

func countLines(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	var n int64
	for {
		k, err := f.Read(buf)
		n += int64(strings.Count(string(buf[:k]), "\n"))
		if err == io.EOF {
			return n
		}
		if err != nil {
			log.Fatal(err)
		}
	}
}

func du(dir string) string {
	var total int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return nil
	})
	return fmt.Sprintf("%.1f MB", float64(total)/1e6)
}

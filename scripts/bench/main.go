// Command bench measures innowatch against DuckDB doing the same work
// directly, at city, province and national scale, on the same generated
// files in the same run, as whole processes: wall time and peak resident
// memory (what /usr/bin/time -v reports) of each child process. Each
// comparison alternates innowatch and DuckDB back to back -reps times and
// reports the medians, so that load from other work on the machine falls on
// both alike. It prints a Markdown report (docs/PERFORMANCE.md holds the
// recorded one). Timings are measured, never asserted.
//
//	go run ./scripts/bench [-scales city,province,national] [-bin ./innowatch] [-reps 5] [-work DIR] [-profile DIR] [-xlsx-rows 500000]
//
// -xlsx-rows also measures a workbook of that many rows (issue 17's goal:
// 500,000 rows in 10 s and 500 MB): the national generator's first rows
// written as one long-layout sheet, against the same rows as CSV and
// against DuckDB reading that CSV.
//
// The DuckDB yardsticks are this program run again as a child:
//
//	bench duckdb-ingest FILE DB   CREATE TABLE f AS SELECT * FROM read_csv(FILE) into a new file DB
//	bench duckdb-models DB        every model's SQL as CREATE TABLE/VIEW … AS, in dependency order, each statement committing alone
//	bench profile-ingest FILE DB DIR   the ingest command's code (pipelines.Ingest) with a CPU and a heap profile in DIR
//
// A short command run many times in one process under the CPU profiler is
// BenchmarkCommand in cmd/innowatch (docs/PERFORMANCE.md).
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
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines/benchdata"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// measure is one child process.
type measure struct {
	wall time.Duration
	cpu  time.Duration // user + system
	rss  int64         // peak resident set, bytes
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
		m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return m
}

var self string // this program, for the DuckDB yardsticks

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "duckdb-ingest":
			duckdbIngest(os.Args[2], os.Args[3])
			return
		case "duckdb-models":
			duckdbModels(os.Args[2])
			return
		case "profile-ingest":
			profileIngest(os.Args[2], os.Args[3], os.Args[4])
			return
		}
	}
	scales := flag.String("scales", "city,province,national", "scales to measure")
	bin := flag.String("bin", "./innowatch", "innowatch binary")
	work := flag.String("work", "", "work folder (default: a temporary one, removed)")
	reps := flag.Int("reps", 5, "alternating pairs per comparison (medians are reported)")
	runReps := flag.Int("run-reps", 3, "whole runs per scale (fresh folder each)")
	profile := flag.String("profile", "", "write CPU and heap profiles of the ingest of each scale into this folder")
	xlsxRows := flag.Int("xlsx-rows", 500_000, "also measure the ingest of a workbook of this many rows (0: skip)")
	flag.Parse()
	var err error
	if self, err = os.Executable(); err != nil {
		log.Fatal(err)
	}
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
	fmt.Printf("Machine: %s, %d cores (%s/%s), %s; innowatch %s; load average at start %s\n\n", host, runtime.NumCPU(),
		runtime.GOOS, runtime.GOARCH, time.Now().Format(time.DateTime), binAbs, loadavg())
	fmt.Printf("Medians of %d alternating pairs (whole runs: of %d). Peak RSS as /usr/bin/time -v reports it (MiB).\n\n", *reps, *runReps)
	fmt.Println("| scale | rows | step | innowatch | DuckDB directly | ratio | innowatch peak | DuckDB peak |")
	fmt.Println("|---|---:|---|---:|---:|---:|---:|---:|")
	for _, scale := range strings.Split(*scales, ",") {
		if scale == "" { // -scales "": the workbook alone
			continue
		}
		b := &bench{bin: binAbs, dir: filepath.Join(dir, scale), scale: scale, reps: *reps, runReps: *runReps, profile: *profile}
		b.all()
	}
	if *xlsxRows > 0 {
		b := &bench{bin: binAbs, dir: filepath.Join(dir, "xlsx"), scale: "workbook", reps: *reps}
		b.workbook(*xlsxRows)
	}
	fmt.Printf("\nLoad average at the end: %s\n", loadavg())
}

type bench struct {
	bin, dir, scale string
	rows            int64
	reps, runReps   int
	profile         string
}

func (b *bench) all() {
	os.MkdirAll(b.dir, 0o755)
	run(b.bin, b.dir, "gen", "--scale", b.scale, "--out", "in")
	file := filepath.Join(b.dir, "in", "facts_"+b.scale+".csv")
	b.rows = countLines(file) - 1
	b.ingest(file)
	b.build()
	b.renderAndBulletin()
	b.wholeRun()
	if b.profile != "" {
		b.profileIngest(file)
	}
}

// ingest: `innowatch ingest FILE` into a migrated, empty warehouse against
// `CREATE TABLE f AS SELECT * FROM read_csv(FILE)` into a new file, what a
// statistician would type instead.
func (b *bench) ingest(file string) {
	tmpl := filepath.Join(b.dir, "template.duckdb")
	run(b.bin, b.dir, "focus", "--db", tmpl) // creates and migrates it
	var ours, theirs []measure
	for i := 0; i < b.reps; i++ {
		wh := filepath.Join(b.dir, "warehouse.duckdb")
		removeDB(wh)
		os.RemoveAll(filepath.Join(b.dir, "serving"))
		copyFile(tmpl, wh)
		ours = append(ours, run(b.bin, b.dir, "ingest", file))
		base := filepath.Join(b.dir, "baseline.duckdb")
		removeDB(base)
		theirs = append(theirs, run(self, b.dir, "duckdb-ingest", file, base))
	}
	o, t := median(ours), median(theirs)
	b.row("ingest, whole process (rows/s)", fmt.Sprintf("%.0f (%s)", float64(b.rows)/o.wall.Seconds(), secs(o.wall)),
		fmt.Sprintf("%.0f (%s)", float64(b.rows)/t.wall.Seconds(), secs(t.wall)), ratio(t.wall, o.wall), o.rss, t.rss)
	b.row("ingest: peak memory, innowatch ÷ DuckDB", "", "", fmt.Sprintf("%.2f×", float64(o.rss)/float64(t.rss)), 0, 0)
	b.row("ingest: CPU time (user+system)", secs(o.cpu), secs(t.cpu), ratio(t.cpu, o.cpu), 0, 0)
}

// workbook: `innowatch ingest FILE.xlsx` of rows rows (the national
// generator's, one long-layout sheet: numbers as number cells, text as
// inline strings) into a migrated, empty warehouse, against the same rows
// as CSV through innowatch and through DuckDB's read_csv.
func (b *bench) workbook(rows int) {
	os.MkdirAll(b.dir, 0o755)
	run(b.bin, b.dir, "gen", "--scale", "national", "--rows", strconv.Itoa(rows), "--out", "in")
	csvPath := filepath.Join(b.dir, "in", "facts_national.csv")
	xlsxPath := filepath.Join(b.dir, "facts.xlsx")
	in, err := os.Open(csvPath)
	if err != nil {
		log.Fatal(err)
	}
	out, err := os.Create(xlsxPath)
	if err != nil {
		log.Fatal(err)
	}
	if err := benchdata.CSVToXLSX(in, out); err != nil {
		log.Fatal(err)
	}
	in.Close()
	if err := out.Close(); err != nil {
		log.Fatal(err)
	}
	b.rows = countLines(csvPath) - 1
	tmpl := filepath.Join(b.dir, "template.duckdb")
	run(b.bin, b.dir, "focus", "--db", tmpl)
	ingest := func(file string) measure {
		wh := filepath.Join(b.dir, "warehouse.duckdb")
		removeDB(wh)
		os.RemoveAll(filepath.Join(b.dir, "serving"))
		copyFile(tmpl, wh)
		return run(b.bin, b.dir, "ingest", file)
	}
	var book, text, theirs []measure
	for i := 0; i < b.reps; i++ {
		book = append(book, ingest(xlsxPath))
		text = append(text, ingest(csvPath))
		base := filepath.Join(b.dir, "baseline.duckdb")
		removeDB(base)
		theirs = append(theirs, run(self, b.dir, "duckdb-ingest", csvPath, base))
	}
	x, c, t := median(book), median(text), median(theirs)
	st, _ := os.Stat(xlsxPath)
	b.row(fmt.Sprintf("ingest of the workbook (%.1f MB), whole process; vs DuckDB on the CSV", float64(st.Size())/1e6),
		secs(x.wall), secs(t.wall), ratio(t.wall, x.wall), x.rss, t.rss)
	b.row("ingest of the workbook: CPU time (user+system)", secs(x.cpu), secs(t.cpu), ratio(t.cpu, x.cpu), 0, 0)
	b.row("ingest of the same rows as CSV, whole process", secs(c.wall), secs(t.wall), ratio(t.wall, c.wall), c.rss, t.rss)
}

// build: `innowatch build --full-refresh` against every model's SQL run
// directly, each statement committing alone, on a copy of the same warehouse.
func (b *bench) build() {
	wh := filepath.Join(b.dir, "warehouse.duckdb")
	direct := filepath.Join(b.dir, "direct.duckdb")
	removeDB(direct)
	copyFile(wh, direct)
	var ours, theirs []measure
	var oursModels, oursTests, theirsStmts []time.Duration
	for i := 0; i < b.reps; i++ {
		o := run(b.bin, b.dir, "build", "--full-refresh")
		m, t := stepTimes(o.out)
		ours, oursModels, oursTests = append(ours, o), append(oursModels, m), append(oursTests, t)
		d := run(self, b.dir, "duckdb-models", direct)
		theirs = append(theirs, d)
		theirsStmts = append(theirsStmts, childSeconds(d.out))
	}
	o, t := median(ours), median(theirs)
	mm, tt, ds := medianD(oursModels), medianD(oursTests), medianD(theirsStmts)
	b.row("build: the models (runner's model steps vs the statements)", secs(mm), secs(ds), ratio(mm, ds), 0, 0)
	b.row("build: data tests (runner only), share of model time", fmt.Sprintf("%s (%.0f %%)", secs(tt), 100*tt.Seconds()/mm.Seconds()), "", "", 0, 0)
	b.row("build: whole process, models + tests", secs(o.wall), secs(t.wall), ratio(o.wall, t.wall), o.rss, t.rss)
	b.row("build: whole process without the tests", secs(o.wall-tt), secs(t.wall), ratio(o.wall-tt, t.wall), 0, 0)
}

func (b *bench) renderAndBulletin() {
	rend := run(b.bin, b.dir, "render", "--out", "site", "--force")
	bul := run(b.bin, b.dir, "bulletin", "--out", "site", "--no-pdf")
	b.row("render (31 pages)", secs(rend.wall), "", "", rend.rss, 0)
	b.row("bulletin (HTML + Markdown, re-render)", secs(bul.wall), "", "", bul.rss, 0)
	b.row("site size", du(filepath.Join(b.dir, "site")), "", "", 0, 0)
}

// wholeRun: `innowatch run --data in` in a fresh folder (create, migrate,
// ingest, build, render, serving copy), then the same again with nothing
// changed.
func (b *bench) wholeRun() {
	var full, noop []measure
	for i := 0; i < b.runReps; i++ {
		rd := filepath.Join(b.dir, "run")
		os.RemoveAll(rd)
		os.MkdirAll(rd, 0o755)
		data := filepath.Join(b.dir, "in")
		full = append(full, run(b.bin, rd, "run", "--data", data))
		noop = append(noop, run(b.bin, rd, "run", "--data", data))
	}
	f, n := median(full), median(noop)
	b.row("`run --data` in a fresh folder, whole process", secs(f.wall), "", "", f.rss, 0)
	b.row("no-op `run --data` (nothing changed)", secs(n.wall), "", fmt.Sprintf("%.1f %% of the full run", 100*n.wall.Seconds()/f.wall.Seconds()), n.rss, 0)
}

func (b *bench) profileIngest(file string) {
	out := filepath.Join(b.profile, b.scale)
	os.MkdirAll(out, 0o755)
	wh := filepath.Join(b.dir, "profile.duckdb")
	removeDB(wh)
	copyFile(filepath.Join(b.dir, "template.duckdb"), wh)
	m := run(self, b.dir, "profile-ingest", file, wh, out)
	fmt.Fprintf(os.Stderr, "%s: profiles in %s (%s, %.0f MiB)\n%s", b.scale, out, secs(m.wall), mib(m.rss), m.out)
}

func (b *bench) row(step, ours, theirs, r string, oursRSS, theirsRSS int64) {
	mem := func(n int64) string {
		if n <= 0 {
			return ""
		}
		return fmt.Sprintf("%.0f MiB", mib(n))
	}
	fmt.Printf("| %s | %d | %s | %s | %s | %s | %s | %s |\n", b.scale, b.rows, step, ours, theirs, r, mem(oursRSS), mem(theirsRSS))
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// ratio is a/b as "0.93×".
func ratio(a, b time.Duration) string {
	if b <= 0 {
		return ""
	}
	return fmt.Sprintf("%.2f×", a.Seconds()/b.Seconds())
}

// median takes wall, CPU and peak memory medians separately.
func median(ms []measure) measure {
	var w, c []time.Duration
	var r []int64
	for _, m := range ms {
		w, c, r = append(w, m.wall), append(c, m.cpu), append(r, m.rss)
	}
	sort.Slice(r, func(i, j int) bool { return r[i] < r[j] })
	return measure{wall: medianD(w), cpu: medianD(c), rss: r[len(r)/2]}
}

func medianD(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
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

// childSeconds reads the "statements N.NNN" line a yardstick child prints.
func childSeconds(out string) time.Duration {
	for _, line := range strings.Split(out, "\n") {
		if s, ok := strings.CutPrefix(line, "statements "); ok {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err == nil {
				return time.Duration(x * float64(time.Second))
			}
		}
	}
	log.Fatalf("no statements line in %q", out)
	return 0
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// duckdbIngest is the ingest yardstick: a new database file, DuckDB's CSV
// reader with its own detection, one statement, closed (checkpointed).
func duckdbIngest(file, path string) {
	db := open(path)
	start := time.Now()
	mustExec(db, "CREATE TABLE f AS SELECT * FROM read_csv("+literal(file)+")")
	if err := db.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("statements %.3f\n", time.Since(start).Seconds())
}

// duckdbModels runs every model's SQL directly, in dependency order, as
// CREATE TABLE/VIEW, each statement committing alone: the work the builder
// does, without it (no staging names, no tests, no states).
func duckdbModels(path string) {
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		log.Fatal(err)
	}
	ordered, err := models.Order(ms)
	if err != nil {
		log.Fatal(err)
	}
	db := open(path)
	db.SetMaxOpenConns(1)
	start := time.Now()
	for _, m := range ordered {
		kind := "TABLE"
		if m.Materialized == models.View {
			kind = "VIEW"
		}
		var existing string
		err := db.QueryRow("SELECT CASE WHEN table_name IS NULL THEN 'VIEW' ELSE 'TABLE' END FROM "+
			"(SELECT table_name FROM duckdb_tables() WHERE table_name = $1 UNION ALL "+
			"SELECT NULL FROM duckdb_views() WHERE view_name = $1 AND NOT internal)", m.Name).Scan(&existing)
		if err == nil {
			mustExec(db, fmt.Sprintf("DROP %s %q", existing, m.Name))
		}
		mustExec(db, fmt.Sprintf("CREATE %s %q AS\n%s", kind, m.Name, m.SQL))
	}
	mustExec(db, "CHECKPOINT")
	fmt.Printf("statements %.3f\n", time.Since(start).Seconds())
	db.Close()
}

func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

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

func removeDB(path string) {
	os.Remove(path)
	os.Remove(path + ".wal")
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

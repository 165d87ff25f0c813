// Package crashtest kills innowatch with SIGKILL at seeded random moments
// and checks, after each kill, that nothing was lost or half-done: the
// warehouse opens, every input file is loaded entirely or not at all, the
// marts are wholly the old or the new build, the site and every published
// bulletin are complete, the killed run shows as unfinished, and the next
// run succeeds. The jobs killed: ingest, build, render, run, bulletin and a
// scheduled job (schedule --once).
//
// INNOWATCH_CRASH_TRIALS sets the number of kills (default 12; the full run
// uses 50), INNOWATCH_CRASH_SEED the seed.
package crashtest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "innowatch-crash-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "innowatch")
	build := exec.Command("go", "build", "-o", bin, "github.com/linyi-sti/innowatch/cmd/innowatch")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "crashtest: build innowatch:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

type workspace struct {
	t    *testing.T
	dir  string
	db   string
	site string
}

func (w *workspace) innowatch(args ...string) *exec.Cmd {
	cmd := exec.Command(bin, append(args, "--db", w.db)...)
	cmd.Dir = w.dir
	return cmd
}

func (w *workspace) mustRun(args ...string) string {
	w.t.Helper()
	out, err := w.innowatch(args...).CombinedOutput()
	if err != nil {
		w.t.Fatalf("innowatch %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// operation is one kind of writer job the harness interrupts.
type operation struct {
	name string
	args func(w *workspace, trial int) []string
	// window is how long the uninterrupted job takes here (measured once
	// before the trials): kills land uniformly in [0, window].
	window time.Duration
}

func TestKillAnywhere(t *testing.T) {
	trials := envInt("INNOWATCH_CRASH_TRIALS", 12)
	seed := uint64(envInt("INNOWATCH_CRASH_SEED", 1))
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	dir := t.TempDir()
	w := &workspace{t: t, dir: dir, db: filepath.Join(dir, "warehouse.duckdb"), site: filepath.Join(dir, "site")}
	w.mustRun("run", "--out", w.site)
	// Inputs for the ingest trials: simulated files, each different, so a
	// completed ingest always writes a new vintage.
	ops := []operation{
		{"ingest", func(w *workspace, i int) []string {
			in := filepath.Join(w.dir, "in", strconv.Itoa(i))
			w.mustRun("gen", "--scale", "province", "--years", "2", "--seed", strconv.Itoa(1000+i), "--out", in)
			return []string{"ingest", filepath.Join(in, "facts_province.csv")}
		}, 0},
		// Full and forced: an unchanged build or render would finish before any kill.
		{"build", func(*workspace, int) []string { return []string{"build", "--full-refresh"} }, 0},
		{"render", func(w *workspace, _ int) []string { return []string{"render", "--force", "--out", w.site} }, 0},
		{"run", func(w *workspace, i int) []string {
			in := filepath.Join(w.dir, "run", strconv.Itoa(i))
			w.mustRun("gen", "--scale", "city", "--years", "3", "--seed", strconv.Itoa(5000+i), "--out", in)
			return []string{"run", "--data", in, "--out", w.site}
		}, 0},
		{"bulletin", func(w *workspace, i int) []string {
			month := bulletinMonths[(i%len(bulletinMonths)+len(bulletinMonths))%len(bulletinMonths)]
			args := []string{"bulletin", "--no-pdf", "--out", w.site, "--month", month}
			if w.published(month) {
				args = append(args, "--revise", fmt.Sprintf("crash trial %d", i))
			}
			return args
		}, 0},
		// A scheduled job as the daemon runs it (build + render), once.
		{"schedule", func(*workspace, int) []string { return []string{"schedule", "--once", "nightly"} }, 0},
	}
	for i := range ops {
		args := ops[i].args(w, -1-i)
		start := time.Now()
		w.mustRun(args...)
		ops[i].window = time.Since(start)
		t.Logf("%s takes %s uninterrupted", ops[i].name, ops[i].window.Round(time.Millisecond))
	}
	for i := 0; i < trials; i++ {
		op := ops[rng.IntN(len(ops))]
		delay := time.Duration(rng.Int64N(int64(op.window)))
		before := w.snapshot()
		cmd := w.innowatch(op.args(w, i)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		killed := err != nil && strings.Contains(err.Error(), "killed")
		t.Logf("trial %d: %s killed after %s (killed=%v)", i, op.name, delay, killed)
		w.check(before, killed, fmt.Sprintf("trial %d (%s after %s)", i, op.name, delay))
		if t.Failed() {
			return
		}
	}
}

// bulletinMonths are the months of the sample a bulletin trial publishes.
var bulletinMonths = []string{"2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06",
	"2020-07", "2020-08", "2020-09", "2020-10", "2020-11", "2020-12"}

// published reports whether a bulletin of month is in the warehouse.
func (w *workspace) published(month string) bool {
	db := w.open(true)
	defer db.Close()
	var n int
	db.QueryRow("SELECT count(*) FROM bulletins WHERE month = ?", month).Scan(&n)
	return n > 0
}

type snapshot struct {
	marts map[string]string // checksum per mart
	runs  int
}

func (w *workspace) open(readOnly bool) *sql.DB {
	w.t.Helper()
	dsn := w.db
	if readOnly {
		dsn += "?access_mode=read_only"
	}
	db, err := sql.Open("duckdb", dsn)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := db.PingContext(context.Background()); err != nil {
		w.t.Fatalf("the warehouse does not open: %v", err)
	}
	return db
}

var marts = []string{"indicator_values", "county_vs_province"}

func checksums(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range marts {
		var n int64
		var h sql.NullString
		err := db.QueryRow(fmt.Sprintf(`SELECT count(*), CAST(sum(hash(region_code, period, indicator, value)) AS VARCHAR) FROM %q`, m)).Scan(&n, &h)
		if err != nil {
			t.Fatalf("mart %s: %v", m, err)
		}
		out[m] = fmt.Sprintf("%d/%s", n, h.String)
	}
	return out
}

func (w *workspace) snapshot() snapshot {
	db := w.open(true)
	defer db.Close()
	s := snapshot{marts: checksums(w.t, db)}
	db.QueryRow("SELECT count(*) FROM runs").Scan(&s.runs)
	return s
}

func (w *workspace) check(before snapshot, killed bool, what string) {
	t := w.t
	t.Helper()
	db := w.open(true)
	// Every file loaded entirely or not at all: each load's facts are all there.
	rows, err := db.Query(`SELECT l.id, l.file_name, l.facts_new + l.facts_revised, count(f.load_id)
		FROM loads l LEFT JOIN facts f ON f.load_id = l.id GROUP BY ALL HAVING count(f.load_id) <> l.facts_new + l.facts_revised`)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for rows.Next() {
		var id, want, got int64
		var name string
		rows.Scan(&id, &name, &want, &got)
		t.Errorf("%s: load %d (%s) has %d facts, its loads row says %d", what, id, name, got, want)
	}
	rows.Close()
	// Every published bulletin is complete: HTML and text, whole.
	var bad int64
	db.QueryRow(`SELECT count(*) FROM bulletins WHERE html IS NULL OR NOT contains(CAST(html AS VARCHAR), '</html>')
		OR markdown IS NULL OR length(markdown) = 0`).Scan(&bad)
	if bad > 0 {
		t.Errorf("%s: %d published bulletins are incomplete", what, bad)
	}
	var orphans int64
	db.QueryRow(`SELECT count(*) FROM facts WHERE load_id NOT IN (SELECT id FROM loads)`).Scan(&orphans)
	if orphans > 0 {
		t.Errorf("%s: %d facts belong to no completed load", what, orphans)
	}
	// Marts are wholly the old build or wholly a build of the current facts.
	now := checksums(t, db)
	var running int
	db.QueryRow(`SELECT count(*) FROM runs WHERE status = 'running'`).Scan(&running)
	db.Close()
	if fmt.Sprint(now) != fmt.Sprint(before.marts) {
		fresh := w.rebuiltCopy()
		if fmt.Sprint(now) != fmt.Sprint(fresh) {
			t.Errorf("%s: marts are neither the old build %v nor a build of the current facts %v: %v", what, before.marts, fresh, now)
		}
	}
	if killed && running > 1 {
		t.Errorf("%s: %d runs left running, want at most the killed one", what, running)
	}
	w.checkSite(what)
	// The next run recovers: the killed run is marked aborted, the job succeeds.
	w.mustRun("build")
	db = w.open(true)
	db.QueryRow(`SELECT count(*) FROM runs WHERE status = 'running'`).Scan(&running)
	db.Close()
	if running != 0 {
		t.Errorf("%s: after recovery %d runs still running", what, running)
	}
	w.checkSite(what)
}

// rebuiltCopy builds the models on a copy of the warehouse, giving the marts
// a completed build of the current facts would have.
func (w *workspace) rebuiltCopy() map[string]string {
	t := w.t
	dir := t.TempDir()
	cp := filepath.Join(dir, "copy.duckdb")
	data, err := os.ReadFile(w.db)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cp, data, 0o644)
	if wal, err := os.ReadFile(w.db + ".wal"); err == nil {
		os.WriteFile(cp+".wal", wal, 0o644)
	}
	if out, err := exec.Command(bin, "build", "--db", cp).CombinedOutput(); err != nil {
		t.Fatalf("build copy: %v\n%s", err, out)
	}
	db, err := sql.Open("duckdb", cp+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return checksums(t, db)
}

// checkSite: the published site is complete — the page and every asset it
// names exist — whatever moment the render was killed at.
func (w *workspace) checkSite(what string) {
	t := w.t
	t.Helper()
	index, err := os.ReadFile(filepath.Join(w.site, "index.html"))
	if err != nil {
		t.Errorf("%s: site has no index.html: %v", what, err)
		return
	}
	if !strings.Contains(string(index), "</html>") {
		t.Errorf("%s: index.html is truncated", what)
	}
	if b, err := os.ReadFile(filepath.Join(w.site, "bulletins", "index.html")); err == nil && !strings.Contains(string(b), "</html>") {
		t.Errorf("%s: the bulletin archive's index is truncated", what)
	}
	for _, a := range []string{"assets/echarts.min.js", "assets/maps/shan1_dong1_lin2_yi2.js"} {
		if st, err := os.Stat(filepath.Join(w.site, a)); err != nil || st.Size() == 0 {
			t.Errorf("%s: site asset %s missing or empty", what, a)
		}
	}
}

// Package crashtest kills innowatch with SIGKILL at seeded random moments
// and checks, after each kill, that nothing was lost or half-done: the
// warehouse opens, every input file is loaded entirely or not at all, the
// marts are wholly the old or the new build, the site and every published
// bulletin are complete, the killed run shows as unfinished, and the next
// run succeeds — and the serving copy readers see is brought up to the
// warehouse's last commit by the next writer or by the daemon as it starts
// (a stale copy is a failure). The jobs killed: ingest, build, render, run,
// bulletin and a scheduled job (schedule --once), at random moments and
// right after the line that follows a commit (between the commit and the
// publication); and the first run on a new warehouse.
//
// INNOWATCH_CRASH_TRIALS sets the number of kills (default 12; the full run
// uses 50), INNOWATCH_CRASH_SEED the seed.
package crashtest

import (
	"bufio"
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

// acceptSimulated accepts the jumps between the sample and simulated data.
const acceptSimulated = "implausible_jump=crash trial: simulated data over the sample"

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
	// killAfter, when set, kills the job right after it prints a line
	// starting so — the moment between a commit and the publication.
	killAfter string
}

func TestKillAnywhere(t *testing.T) {
	trials := envInt("INNOWATCH_CRASH_TRIALS", 12)
	seed := uint64(envInt("INNOWATCH_CRASH_SEED", 1))
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	dir := t.TempDir()
	w := &workspace{t: t, dir: dir, db: filepath.Join(dir, "warehouse.duckdb"), site: filepath.Join(dir, "site")}
	w.mustRun("run", "--out", w.site)
	// Inputs for the ingest trials: simulated files, each different, so a
	// completed ingest always writes a new vintage. Their values are far
	// from the sample's for 高新区 (the zone is small in the sample), which
	// the plausibility checks rightly refuse: the trials accept that
	// deliberately, as a statistician would after checking.
	ops := []operation{
		{"ingest", func(w *workspace, i int) []string {
			in := filepath.Join(w.dir, "in", strconv.Itoa(i))
			w.mustRun("gen", "--scale", "province", "--years", "2", "--seed", strconv.Itoa(1000+i), "--out", in)
			return []string{"ingest", "--accept", acceptSimulated, filepath.Join(in, "facts_province.csv")}
		}, 0, ""},
		// Full and forced: an unchanged build or render would finish before any kill.
		{"build", func(*workspace, int) []string { return []string{"build", "--full-refresh"} }, 0, ""},
		{"render", func(w *workspace, _ int) []string { return []string{"render", "--force", "--out", w.site} }, 0, ""},
		{"run", func(w *workspace, i int) []string {
			in := filepath.Join(w.dir, "run", strconv.Itoa(i))
			w.mustRun("gen", "--scale", "city", "--years", "3", "--seed", strconv.Itoa(5000+i), "--out", in)
			return []string{"run", "--accept", acceptSimulated, "--data", in, "--out", w.site}
		}, 0, ""},
		{"bulletin", func(w *workspace, i int) []string {
			month := bulletinMonths[(i%len(bulletinMonths)+len(bulletinMonths))%len(bulletinMonths)]
			args := []string{"bulletin", "--no-pdf", "--out", w.site, "--month", month}
			if w.published(month) {
				args = append(args, "--revise", fmt.Sprintf("crash trial %d", i))
			}
			return args
		}, 0, ""},
		// A scheduled job as the daemon runs it (build + render), once.
		{"schedule", func(*workspace, int) []string { return []string{"schedule", "--once", "nightly"} }, 0, ""},
	}
	// Between commit and publish: the same jobs killed right after the line
	// that follows their commit.
	ops = append(ops,
		operation{"ingest@loaded", ops[0].args, 0, "loaded "},
		operation{"run@build", ops[3].args, 0, "build "},
		operation{"build@build", ops[1].args, 0, "build "},
		operation{"bulletin@published", ops[4].args, 0, "published "},
		operation{"bulletin@revised", func(w *workspace, i int) []string {
			return []string{"bulletin", "--no-pdf", "--out", w.site, "--month", "2020-10", "--revise", fmt.Sprintf("crash trial %d", i)}
		}, 0, "revised "},
	)
	for i := range ops {
		if ops[i].killAfter != "" {
			continue
		}
		args := ops[i].args(w, -1-i)
		start := time.Now()
		w.mustRun(args...)
		ops[i].window = time.Since(start)
		t.Logf("%s takes %s uninterrupted", ops[i].name, ops[i].window.Round(time.Millisecond))
	}
	for i := 0; i < trials; i++ {
		if i%4 == 3 {
			// Every fourth trial kills the first run on a new warehouse.
			freshTrial(t, rng, i)
			if t.Failed() {
				return
			}
			continue
		}
		op := ops[rng.IntN(len(ops))]
		before := w.snapshot()
		killed, when := w.kill(op, rng, i)
		t.Logf("trial %d: %s killed %s (killed=%v)", i, op.name, when, killed)
		w.check(before, killed, fmt.Sprintf("trial %d (%s %s)", i, op.name, when), i%2 == 1)
		if t.Failed() {
			return
		}
	}
}

// kill runs op and kills it: after a random delay in its window, or right
// after the line op.killAfter. It reports whether the kill landed and when.
func (w *workspace) kill(op operation, rng *rand.Rand, trial int) (killed bool, when string) {
	w.t.Helper()
	cmd := w.innowatch(op.args(w, trial)...)
	if op.killAfter == "" {
		delay := time.Duration(rng.Int64N(int64(op.window)))
		if err := cmd.Start(); err != nil {
			w.t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		return err != nil && strings.Contains(err.Error(), "killed"), "after " + delay.String()
	}
	return killAfterLine(w.t, cmd, op.killAfter), "after the line " + strconv.Quote(op.killAfter)
}

// killAfterLine starts cmd and kills it as soon as it prints a line
// starting with prefix; it reports whether it did.
func killAfterLine(t *testing.T, cmd *exec.Cmd, prefix string) bool {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), prefix) {
			cmd.Process.Signal(syscall.SIGKILL)
			break
		}
	}
	err = cmd.Wait()
	return err != nil && strings.Contains(err.Error(), "killed")
}

// freshTrial kills the first `innowatch run` on a new warehouse — at a
// random moment, or right after its build line (issue 15 item 1: the
// warehouse was then unopenable) — and checks that the warehouse opens, the
// next run succeeds and publishes a serving copy equal to the warehouse.
func freshTrial(t *testing.T, rng *rand.Rand, trial int) {
	t.Helper()
	dir := t.TempDir()
	w := &workspace{t: t, dir: dir, db: filepath.Join(dir, "warehouse.duckdb"), site: filepath.Join(dir, "site")}
	cmd := w.innowatch("run", "--out", w.site)
	var killed bool
	var when string
	if rng.IntN(2) == 0 {
		killed, when = killAfterLine(t, cmd, "build "), "after the build line"
	} else {
		delay := time.Duration(rng.Int64N(int64(4 * time.Second)))
		cmd.Start()
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		killed, when = err != nil && strings.Contains(err.Error(), "killed"), "after "+delay.String()
	}
	what := fmt.Sprintf("trial %d (first run on a new warehouse, killed %s, killed=%v)", trial, when, killed)
	t.Logf("%s", what)
	if _, err := os.Stat(w.db); err == nil {
		db := w.open(true) // fails the test when the warehouse does not open
		db.Close()
	}
	w.mustRun("run", "--out", w.site)
	w.checkSite(what)
	w.checkServing(what)
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

func (w *workspace) check(before snapshot, killed bool, what string, viaDaemon bool) {
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
	// The next writer recovers: the killed run is marked aborted, the job
	// succeeds, and the serving copy holds the warehouse's last commit. Half
	// of the trials recover by starting the daemon instead, which must
	// publish what the killed job committed before it runs any job.
	if viaDaemon {
		w.startAndStopDaemon(what)
	} else {
		w.mustRun("build")
	}
	w.checkServing(what)
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

// startAndStopDaemon starts `innowatch schedule` with a job that is not due,
// waits until it has started, and stops it with SIGTERM.
func (w *workspace) startAndStopDaemon(what string) {
	t := w.t
	t.Helper()
	cfg := filepath.Join(w.dir, "idle.yaml")
	os.WriteFile(cfg, []byte("site: site\njobs:\n  - {name: yearly, schedule: \"0 3 1 1 *\", steps: [build]}\n"), 0o644)
	cmd := w.innowatch("schedule", "--config", cfg, "--log-format", "text")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	sc := bufio.NewScanner(stderr)
	started := false
	for sc.Scan() {
		logs.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "scheduler started") {
			started = true
			break
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	go func() {
		for sc.Scan() {
		}
	}()
	if err := cmd.Wait(); err != nil || !started {
		t.Errorf("%s: the daemon did not start and stop cleanly (%v):\n%s", what, err, logs.String())
	}
}

// checkServing: the current serving copy — what `innowatch sql` and every
// DuckDB client read — holds the warehouse's last commit: the same facts,
// loads, bulletins and marts. A stale copy is a failure (issue 15 item 2).
func (w *workspace) checkServing(what string) {
	t := w.t
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, "serving", "warehouse.current"))
	if err != nil {
		t.Errorf("%s: no serving copy after recovery: %v", what, err)
		return
	}
	copyPath := filepath.Join(w.dir, "serving", strings.TrimSpace(string(b)))
	state := func(path string) string {
		db, err := sql.Open("duckdb", path+"?access_mode=read_only")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var s []string
		for _, q := range []string{"SELECT count(*) FROM facts", "SELECT count(*) FROM loads",
			"SELECT count(*) FROM bulletins", "SELECT count(*) FROM runs WHERE status = 'running'"} {
			var n int64
			if err := db.QueryRow(q).Scan(&n); err != nil {
				t.Fatalf("%s: %s on %s: %v", what, q, path, err)
			}
			s = append(s, fmt.Sprintf("%s=%d", q, n))
		}
		return fmt.Sprint(s, checksums(t, db))
	}
	if got, want := state(copyPath), state(w.db); got != want {
		t.Errorf("%s: the serving copy is stale after recovery:\n copy      %s\n warehouse %s", what, got, want)
	}
}

package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/linyi-sti/innowatch/pipelines/schedule"
)

// The test binary re-executed with INNOWATCH_TEST_MAIN=1 is innowatch (see
// TestMain in main_test.go): the daemon tests run queries in a second process.

// syncBuffer is a bytes.Buffer safe for the daemon's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startDaemon runs `innowatch schedule` in this process until stop.
func startDaemon(t *testing.T, args ...string) (stop func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- Main(ctx, append([]string{"schedule"}, args...), strings.NewReader(""), out, errb) }()
	var once sync.Once
	var code int
	stop = func() (int, string) {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(2 * time.Minute):
				t.Fatal("the daemon did not stop")
			}
		})
		return code, out.String() + errb.String()
	}
	t.Cleanup(func() { stop() })
	return stop
}

func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "innowatch.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestQueriesNeverFailWhileTheDaemonBuilds is the promise to statisticians:
// `innowatch sql` in another process, in a loop, while the daemon rebuilds
// and republishes every second, with zero failures.
func TestQueriesNeverFailWhileTheDaemonBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the daemon for several seconds")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	if _, errOut, code := runCLI(t, "run", "--db", db, "--out", filepath.Join(dir, "site")); code != 0 {
		t.Fatalf("run: %s", errOut)
	}
	cfg := writeConfig(t, dir, `
stop_grace: 30s
jobs:
  - {name: rebuild, schedule: "@every 1s", steps: [build, render], timeout: 1m}
`)
	addr := freePort(t)
	stop := startDaemon(t, "--config", cfg, "--serve", addr)

	const query = "select count(*) as n, (select count(*) from runs) as runs from county_vs_province"
	deadline := time.Now().Add(8 * time.Second)
	queries, failures, pages := 0, 0, 0
	var firstFailure string
	for time.Now().Before(deadline) {
		cmd := exec.Command(os.Args[0], "sql", "--db", db, query)
		cmd.Env = append(os.Environ(), "INNOWATCH_TEST_MAIN=1")
		out, err := cmd.CombinedOutput()
		queries++
		if err != nil || !strings.Contains(string(out), "4746") {
			failures++
			if firstFailure == "" {
				firstFailure = fmt.Sprintf("%v: %s", err, out)
			}
		}
		if resp, err := http.Get("http://" + addr + "/"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 && bytes.Contains(b, []byte("临沂")) && resp.Header.Get("Cache-Control") == "no-cache" {
				pages++
			}
		}
	}
	code, logs := stop()
	if code != 0 {
		t.Fatalf("daemon exit %d:\n%s", code, logs)
	}
	w, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var builds, bad int
	w.QueryRow("SELECT count(*) FILTER (status = 'succeeded'), count(*) FILTER (status NOT IN ('succeeded', 'skipped')) FROM runs WHERE job = 'rebuild'").Scan(&builds, &bad)
	t.Logf("%d queries in a second process, %d failed; %d scheduled builds; %d pages served", queries, failures, builds, pages)
	if failures != 0 {
		t.Errorf("%d of %d queries failed; first: %s", failures, queries, firstFailure)
	}
	if builds < 3 || queries < 5 || bad != 0 {
		t.Errorf("%d builds succeeded and %d did not, %d queries: the test did not overlap queries with builds\n%s", builds, bad, queries, logs)
	}
	if pages < queries/2 {
		t.Errorf("the site was served %d times in %d tries", pages, queries)
	}
}

func TestScheduleRefusals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")

	out, _, code := runCLI(t, "schedule", "--print-config")
	if code != 0 || !bytes.Equal([]byte(out), schedule.DefaultConfig) {
		t.Errorf("--print-config exit %d, output differs from the embedded default", code)
	}

	// One daemon per warehouse, and the second says who holds it.
	cfg := writeConfig(t, dir, "jobs:\n  - {name: nightly, schedule: \"30 2 * * *\", steps: [build]}\n")
	startDaemon(t, "--config", cfg, "--db", db)
	// Wait until the first daemon holds the lock (it writes its PID after).
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(schedule.LockPath(db)); bytes.HasPrefix(b, []byte("PID ")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first daemon never took the lock")
		}
	}
	_, errOut, code := runCLI(t, "schedule", "--config", cfg, "--db", db)
	want := fmt.Sprintf("cannot start the scheduler for %s: its lock %s is held by PID %d on ", db, schedule.LockPath(db), os.Getpid())
	if code != ExitError || !strings.Contains(errOut, want) {
		t.Fatalf("second daemon: exit %d, stderr %q; want it to name the holder", code, errOut)
	}
}

// testDaemon is a daemon on a fake clock, its jobs called directly.
func testDaemon(t *testing.T, cfgText string) (*daemon, *clockwork.FakeClock, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	cfg, err := schedule.ParseConfig([]byte(cfgText), dir)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, now: time.Now}
	clock := clockwork.NewFakeClockAt(time.Date(2026, 3, 31, 23, 59, 0, 0, cfg.Location))
	return newDaemon(e, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock), clock, &out
}

func TestInboxPickup(t *testing.T) {
	d, clock, out := testDaemon(t, `
inbox: {settle: 30s}
jobs:
  - {name: inbox, schedule: "* * * * *", steps: [inbox, build]}
`)
	os.MkdirAll(d.cfg.Inbox.Dir, 0o755)
	put := func(name, content string) {
		if err := os.WriteFile(filepath.Join(d.cfg.Inbox.Dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("good.csv", "region_code,period,indicator,value,unit\n371302,2020,rd_expenditure,35000,万元\n371311,2020,rd_expenditure,2.5,亿元\n")
	put("bad.csv", "region_code,period,indicator,value\n371302,2020,rd_expenditure,3.5\n371399,2020,rd_expenditure,1\n")
	put("half.csv", "region_code,period,indicator,value\n371321,2020,rd_exp") // still being copied
	job := d.jobFunc(d.cfg.Jobs[0])
	attempt := func() *schedule.Run {
		t.Helper()
		r := &schedule.Run{Job: "inbox", Trigger: schedule.TriggerCron, ScheduledAt: clock.Now(), Attempt: 1}
		if err := job(context.Background(), r); err != nil {
			t.Fatalf("inbox job: %v\n%s", err, out)
		}
		return r
	}

	if r := attempt(); r.RunID() != 0 {
		t.Errorf("first sight of the files recorded run %d; nothing has settled yet", r.RunID())
	}
	if _, err := os.Stat(d.cfg.Warehouse); err == nil {
		t.Error("the warehouse was opened although no file had settled")
	}
	clock.Advance(20 * time.Second)
	f, _ := os.OpenFile(filepath.Join(d.cfg.Inbox.Dir, "half.csv"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("enditure,1.2\n") // the copy finishes
	f.Close()
	clock.Advance(10 * time.Second)
	r := attempt()
	if r.RunID() == 0 {
		t.Fatal("settled files were not picked up")
	}
	left := func() []string {
		entries, _ := os.ReadDir(d.cfg.Inbox.Dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	if got := left(); len(got) != 1 || got[0] != "half.csv" {
		t.Errorf("inbox after the pickup: %v, want only half.csv (still settling)", got)
	}
	if _, err := os.Stat(filepath.Join(d.cfg.Inbox.Archive, "2026-03", "good.csv")); err != nil {
		t.Errorf("good.csv not archived under 2026-03: %v", err)
	}
	report, err := os.ReadFile(filepath.Join(d.cfg.Inbox.Rejected, "bad.csv.errors.txt"))
	if err != nil || !strings.Contains(string(report), `bad.csv 第3行 列 region_code: 错误 未知的区划代码 (unknown_region); 值 "371399"`) {
		t.Errorf("rejection report (%v):\n%s", err, report)
	}
	if _, err := os.Stat(filepath.Join(d.cfg.Inbox.Rejected, "bad.csv")); err != nil {
		t.Errorf("bad.csv not in rejected/: %v", err)
	}

	clock.Advance(30 * time.Second) // 1 April in Shanghai: a new archive month
	r2 := attempt()
	if r2.RunID() == 0 || len(left()) != 0 {
		t.Fatalf("half.csv not picked up once settled: run %d, inbox %v", r2.RunID(), left())
	}
	if _, err := os.Stat(filepath.Join(d.cfg.Inbox.Archive, "2026-04", "half.csv")); err != nil {
		t.Errorf("half.csv not archived under 2026-04: %v", err)
	}

	w, err := sql.Open("duckdb", d.cfg.Warehouse+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.Query(`SELECT region_code, value, source FROM facts ORDER BY region_code`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var code, source string
		var v float64
		rows.Scan(&code, &v, &source)
		got = append(got, fmt.Sprintf("%s %.1f %s", code, v, source))
	}
	rows.Close()
	// 35000 万元 = 3.5 亿元; nothing of bad.csv, not even its good row.
	want := []string{"371302 3.5 good.csv", "371311 2.5 good.csv", "371321 1.2 half.csv"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("facts %v, want %v", got, want)
	}
	var jobName, trigger, kind, status, details string
	var attemptN int
	w.QueryRow(`SELECT job, trigger, kind, status, attempts, CAST(details AS VARCHAR) FROM runs WHERE id = ?`, r.RunID()).
		Scan(&jobName, &trigger, &kind, &status, &attemptN, &details)
	// A run that refused a file is partial (issue 15: it was "succeeded",
	// so `runs --status failed` and `--status partial` both missed it).
	if jobName != "inbox" || trigger != "cron" || kind != "inbox+build" || status != "partial" || attemptN != 1 {
		t.Errorf("run row %s %s %s %s %d; want inbox cron inbox+build partial 1", jobName, trigger, kind, status, attemptN)
	}
	var status2 string
	w.QueryRow(`SELECT status FROM runs WHERE id = ?`, r2.RunID()).Scan(&status2)
	if status2 != "succeeded" {
		t.Errorf("the run that loaded every file is %s, want succeeded", status2)
	}
	for _, want := range []string{`"inbox_loaded":1`, `"inbox_rejected":1`, `"rejected_files":["bad.csv"]`, `"models_built":16`} {
		if !strings.Contains(details, want) {
			t.Errorf("details %s lack %s", details, want)
		}
	}
}

func TestSucceededSlotIsNotRunTwice(t *testing.T) {
	d, clock, out := testDaemon(t, `
jobs:
  - {name: nightly, schedule: "30 2 * * *", steps: [build], catch_up: 24h}
`)
	ctx := context.Background()
	slot := time.Date(2026, 3, 31, 2, 30, 0, 0, d.cfg.Location)
	if ok, err := d.Succeeded(ctx, "nightly", slot); err != nil || ok {
		t.Fatalf("before any run: %v, %v", ok, err)
	}
	r := &schedule.Run{Job: "nightly", Trigger: schedule.TriggerCatchUp, ScheduledAt: slot, Attempt: 1}
	if err := d.jobFunc(d.cfg.Jobs[0])(ctx, r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, tt := range []struct {
		slot time.Time
		want bool
	}{
		{slot, true},
		{slot.UTC(), true}, // the same instant in another zone
		{slot.AddDate(0, 0, 1), false},
	} {
		if ok, err := d.Succeeded(ctx, "nightly", tt.slot); err != nil || ok != tt.want {
			t.Errorf("Succeeded(%s) = %v, %v; want %v", tt.slot, ok, err, tt.want)
		}
	}
	// The scheduler's own records land in the same table.
	err := d.Record(ctx, []schedule.Record{{Job: "nightly", Kind: "build", Trigger: schedule.TriggerCron, Status: "skipped",
		ScheduledAt: slot.AddDate(0, 0, 1), StartedAt: clock.Now(), FinishedAt: clock.Now(), Error: "skipped: the cron run is still running"}})
	if err != nil {
		t.Fatal(err)
	}
	stdout, errOut, code := runCLI(t, "runs", "--db", d.cfg.Warehouse, "--job", "nightly")
	if code != 0 {
		t.Fatalf("runs: %s", errOut)
	}
	for _, want := range []string{"catch-up │ 2026-03-31 02:30", "skipped", "skipped: the cron run is still running", "(2 runs)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("runs output lacks %q:\n%s", want, stdout)
		}
	}
	stdout, _, _ = runCLI(t, "runs", "--db", d.cfg.Warehouse, "--status", "skipped")
	if !strings.Contains(stdout, "(1 run)") {
		t.Errorf("--status skipped:\n%s", stdout)
	}
}

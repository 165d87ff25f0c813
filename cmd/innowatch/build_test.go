package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// TestBuildIncrementalSelectAndFullRefresh drives `innowatch build` as a
// user would, on the built-in sample.
func TestBuildIncrementalSelectAndFullRefresh(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	site := filepath.Join(dir, "site")
	if out, errOut, code := runCLI(t, "run", "--db", db, "--out", site); code != 0 {
		t.Fatalf("run exit %d\n%s%s", code, out, errOut)
	}
	line := regexp.MustCompile(`(?m)^(built|skipped)\s+(\S+)\s.*?\s{2}(new|changed|unchanged|full refresh|selected|not selected)$`)
	statuses := func(out string) map[string]string {
		got := map[string]string{}
		for _, m := range line.FindAllStringSubmatch(out, -1) {
			got[m[2]] = m[1] + " " + m[3]
		}
		return got
	}
	all := func(s string) map[string]string {
		m := map[string]string{"facts_latest": s, "indicator_values": s, "county_vs_province": s, "city_ranking": s,
			"target_progress": s, "innovation_index_components": s, "innovation_index": s, "monthly_values": s}
		for _, r := range registerModels {
			m[r] = s
		}
		return m
	}

	out, errOut, code := runCLI(t, "build", "--db", db)
	if code != 0 {
		t.Fatalf("build exit %d: %s", code, errOut)
	}
	if diff := cmp.Diff(all("skipped unchanged"), statuses(out)); diff != "" {
		t.Errorf("second build (-want +got):\n%s\n%s", diff, out)
	}
	for _, want := range []string{"build      0 built, 16 skipped; tests: not run (nothing changed since they last passed)"} {
		if !strings.Contains(out, want) {
			t.Errorf("build output lacks %q:\n%s", want, out)
		}
	}

	out, errOut, code = runCLI(t, "build", "--db", db, "--select", "indicator_values+")
	if code != 0 {
		t.Fatalf("build --select exit %d: %s", code, errOut)
	}
	want := all("built selected")
	want["facts_latest"] = "skipped not selected"
	for _, r := range registerModels { // only the reconciliation reads indicator_values
		if r != "hitech_reconciliation" {
			want[r] = "skipped not selected"
		}
	}
	if diff := cmp.Diff(want, statuses(out)); diff != "" {
		t.Errorf("--select indicator_values+ (-want +got):\n%s\n%s", diff, out)
	}

	out, errOut, code = runCLI(t, "build", "--db", db, "--full-refresh")
	if code != 0 {
		t.Fatalf("build --full-refresh exit %d: %s", code, errOut)
	}
	if diff := cmp.Diff(all("built full refresh"), statuses(out)); diff != "" {
		t.Errorf("--full-refresh (-want +got):\n%s\n%s", diff, out)
	}

	_, errOut, code = runCLI(t, "build", "--db", db, "--select", "no_such_model")
	if code != 1 || !strings.Contains(errOut, `no model named "no_such_model"`) || !strings.Contains(errOut, "hint: models: ") {
		t.Errorf("--select no_such_model: exit %d\n%s", code, errOut)
	}

	// The runs table records each build with its counts.
	w, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.Query(`SELECT status, details FROM runs WHERE kind = 'build' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var status string
		var details any // the driver hands JSON over decoded
		if err := rows.Scan(&status, &details); err != nil {
			t.Fatal(err)
		}
		var d map[string]int
		if b, err := json.Marshal(details); err == nil {
			json.Unmarshal(b, &d)
		}
		got = append(got, fmt.Sprintf("%s %d/%d/%d", status, d["models_built"], d["models_skipped"], d["tests_passed"]))
	}
	// The selected build reruns 9 of the 10 data tests: register_flows reads
	// only register marts, none of which was rebuilt (unchanged, not rerun).
	wantRuns := []string{"succeeded 0/16/0", "succeeded 8/8/9", "succeeded 16/0/10", "failed 0/0/0"}
	if diff := cmp.Diff(wantRuns, got); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}
}

// A lean job's render starts with DuckDB's cached blocks dropped and
// leaves memory_limit as it found it (DuckDB's RESET would leave the buffer
// pool at the lowered limit).
func TestLeanRenderDropsTheCache(t *testing.T) {
	ctx := context.Background()
	db, err := duckdb.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := db.SQL()
	for _, s := range []string{
		"CREATE TABLE t AS SELECT range AS i, range::VARCHAR AS s FROM range(1000000)",
		"CHECKPOINT",
		"SELECT sum(i) FROM t WHERE s <> ''",
	} {
		if _, err := q.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	limit := func() string {
		var s string
		if err := q.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	held, err := db.CachedBytes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := limit()
	var out strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, now: time.Now}
	gcBefore := debug.SetGCPercent(100)
	defer debug.SetGCPercent(gcBefore)
	done := e.leanRender(ctx, &work{db: db})
	if gc := debug.SetGCPercent(renderGCPercent); gc != renderGCPercent {
		t.Errorf("GOGC %d while rendering, want %d", gc, renderGCPercent)
	}
	if n, err := db.CachedBytes(ctx); err != nil || n >= held/4 {
		t.Errorf("cached table blocks %d bytes after leanRender (%v), %d before: want most dropped", n, err, held)
	}
	// Needs far more than a byte: fails if the pool kept the lowered limit.
	var n int64
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT i FROM t ORDER BY s DESC)").Scan(&n); err != nil || n != 1000000 {
		t.Errorf("query while rendering: %d rows, %v", n, err)
	}
	done()
	if gc := debug.SetGCPercent(100); gc != 100 {
		t.Errorf("GOGC %d after the render, want 100 as before", gc)
	}
	// DuckDB's default (80 % of RAM) is set back as it prints it, to 0.1
	// GiB, and a second render leaves it there.
	after := limit()
	e.leanRender(ctx, &work{db: db})()
	if again := limit(); again != after || !sameGiB(before, after) {
		t.Errorf("memory_limit %s before the render, %s after, %s after another", before, after, again)
	}
	if out.Len() > 0 {
		t.Errorf("unexpected notes: %s", out.String())
	}
}

// sameGiB reports whether two of DuckDB's printed sizes are within 0.1 GiB.
func sameGiB(a, b string) bool {
	if a == b {
		return true
	}
	x, errA := strconv.ParseFloat(strings.TrimSuffix(a, " GiB"), 64)
	y, errB := strconv.ParseFloat(strings.TrimSuffix(b, " GiB"), 64)
	return errA == nil && errB == nil && x-y < 0.15 && y-x < 0.15
}

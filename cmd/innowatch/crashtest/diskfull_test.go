package crashtest

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiskFull runs writer jobs on a tiny file system (a tmpfs mount, which
// needs root): each fails with a clear message and the warehouse keeps
// everything it had.
func TestDiskFull(t *testing.T) {
	dir := t.TempDir()
	big := &workspace{t: t, dir: dir, db: filepath.Join(dir, "warehouse.duckdb"), site: filepath.Join(dir, "site")}
	big.mustRun("run", "--out", big.site)
	big.mustRun("gen", "--scale", "province", "--out", filepath.Join(dir, "in"))
	data, err := os.ReadFile(big.db)
	if err != nil {
		t.Fatal(err)
	}
	// A disk with room for the warehouse and one more megabyte.
	small := filepath.Join(dir, "small")
	os.MkdirAll(small, 0o755)
	size := fmt.Sprintf("size=%dk", len(data)/1024+1024)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", size, "tmpfs", small).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (needs root): %v %s", err, out)
	}
	defer exec.Command("umount", small).Run()
	w := &workspace{t: t, dir: small, db: filepath.Join(small, "warehouse.duckdb"), site: filepath.Join(small, "site")}
	if err := os.WriteFile(w.db, data, 0o644); err != nil {
		t.Fatalf("copy the warehouse onto the small disk: %v", err)
	}
	count := func() (facts, loads int) {
		db, err := sql.Open("duckdb", w.db+"?access_mode=read_only")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.QueryRow("SELECT count(*) FROM facts").Scan(&facts); err != nil {
			t.Fatalf("the warehouse does not open after a full disk: %v", err)
		}
		db.QueryRow("SELECT count(*) FROM loads").Scan(&loads)
		return
	}
	facts, loads := count()

	// The province file (225k facts) cannot fit in one megabyte: the load is refused whole.
	out, err := w.innowatch("ingest", "--accept", acceptSimulated, filepath.Join(dir, "in", "facts_province.csv")).CombinedOutput()
	t.Logf("ingest: %v\n%s", err, out)
	if err == nil {
		t.Fatalf("ingest on a full disk succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "the disk is full") || !strings.Contains(string(out), "hint: free space") {
		t.Errorf("ingest on a full disk should say so and what to do:\n%s", out)
	}
	if f, l := count(); f != facts || l != loads {
		t.Errorf("after the failed ingest: %d facts, %d loads; want the %d and %d from before", f, l, facts, loads)
	}

	// A build (new tables, then a 9 MB serving copy) cannot fit either: the
	// job fails, and no partial copy is left for readers to find.
	out, err = w.innowatch("build").CombinedOutput()
	if err == nil {
		t.Fatalf("build with no room for the serving copy succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "the disk is full") {
		t.Errorf("build on a full disk should say so:\n%s", out)
	}
	// The writers' journal may say why the copy is behind; no copy, whole
	// or partial, may be there.
	if entries, _ := os.ReadDir(filepath.Join(small, "serving")); len(entries) != 0 {
		var names []string
		for _, e := range entries {
			if e.Name() != "warehouse.pending" {
				names = append(names, e.Name())
			}
		}
		if len(names) > 0 {
			t.Errorf("partial serving files left: %v", names)
		}
	}
	if f, _ := count(); f != facts {
		t.Errorf("after the failed build: %d facts, want %d", f, facts)
	}

	// Issue 15 item 5: the build exited 1 but its run stayed "succeeded".
	// Once space is freed, the next writer records the truth and publishes
	// the serving copy the failed build could not write.
	if out, err := exec.Command("mount", "-o", "remount,size="+fmt.Sprintf("%dk", 4*len(data)/1024+8192), small).CombinedOutput(); err != nil {
		t.Fatalf("grow the small disk: %v %s", err, out)
	}
	w.mustRun("build")
	db, err := sql.Open("duckdb", w.db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	var succeeded int
	db.QueryRow(`SELECT count(*) FROM runs WHERE kind IN ('ingest', 'build') AND status = 'succeeded'
		AND id < (SELECT max(id) FROM runs)`).Scan(&succeeded)
	db.Close()
	if succeeded != 0 {
		t.Errorf("%d of the runs that exited 1 on the full disk are recorded as succeeded", succeeded)
	}
	if _, err := os.Stat(filepath.Join(small, "serving", "warehouse.current")); err != nil {
		t.Errorf("no serving copy after space was freed: %v", err)
	}
}

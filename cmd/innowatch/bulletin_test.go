package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBulletinCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "warehouse.duckdb")
	site := filepath.Join(dir, "site")
	if _, errOut, code := runCLI(t, "run", "--db", db, "--out", site); code != 0 {
		t.Fatalf("run: %s", errOut)
	}

	// Usage errors never open the warehouse.
	for _, args := range [][]string{{"--month", "2020"}, {"--month", "2020-13"}, {"--revise", " "}} {
		if _, errOut, code := runCLI(t, append([]string{"bulletin", "--db", db}, args...)...); code != ExitUsage {
			t.Errorf("bulletin %v: exit %d (%s), want usage error", args, code, errOut)
		}
	}

	// Without --month: the latest month with data.
	out, errOut, code := runCLI(t, "bulletin", "--db", db, "--out", site, "--no-pdf")
	if code != 0 || !strings.Contains(out, "临沂市科技创新主要指标月报（2020年1-12月）") {
		t.Fatalf("bulletin for the latest month: exit %d\n%s%s", code, out, errOut)
	}

	out, errOut, code = runCLI(t, "bulletin", "--db", db, "--out", site, "--month", "2020-10", "--no-pdf")
	if code != 0 {
		t.Fatalf("bulletin exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"published  临沂市科技创新主要指标月报（2020年1-10月） 2020年第10期, revision 0; vintage 2 (loads 1, 2)",
		// The whole site is rendered again, its navigation linking the archive.
		"rendered   32 pages into " + site + ": overview ",
		"bulletin   file://" + filepath.Join(site, "bulletins", "2020-10", "index.html"),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"bulletins/index.html", "bulletins/2020-10/index.html", "bulletins/2020-10/r0.html", "bulletins/2020-10/bulletin.md"} {
		if st, err := os.Stat(filepath.Join(site, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	for page, link := range map[string]string{"index.html": `<a href="bulletins/index.html">`,
		"regions/371302.html": `<a href="../bulletins/index.html">`} {
		if b, err := os.ReadFile(filepath.Join(site, page)); err != nil || !strings.Contains(string(b), link) {
			t.Errorf("%s does not link the bulletin archive (%s): %v", page, link, err)
		}
	}

	_, errOut, code = runCLI(t, "bulletin", "--db", db, "--out", site, "--month", "2020-10", "--no-pdf")
	if code != ExitError || !strings.Contains(errOut, "bulletin 2020-10 is already published (revision 0") ||
		!strings.Contains(errOut, `hint: to correct it, publish a revision with its reason: innowatch bulletin --month 2020-10 --revise "原因"`) {
		t.Errorf("second publication: exit %d\n%s", code, errOut)
	}

	out, errOut, code = runCLI(t, "bulletin", "--db", db, "--out", site, "--month", "2020-10", "--revise", "口径说明更正", "--no-pdf")
	if code != 0 || !strings.Contains(out, "revised    临沂市科技创新主要指标月报（2020年1-10月） 2020年第10期, revision 1") ||
		!strings.Contains(errOut, "note: revision 1 has the same content as revision 0") {
		t.Errorf("revision: exit %d\n%s%s", code, out, errOut)
	}

	// A later render of the site keeps the archive, and readers see the table.
	if _, errOut, code := runCLI(t, "render", "--db", db, "--out", site); code != 0 {
		t.Fatalf("render: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(site, "bulletins", "2020-10", "r1.html")); err != nil {
		t.Errorf("the archive did not survive a render: %v", err)
	}
	out, errOut, code = runCLI(t, "sql", "--db", db, "select month, revision, reason from bulletins order by revision")
	if code != 0 || !strings.Contains(out, "口径说明更正") || !strings.Contains(out, "(3 rows") {
		t.Errorf("sql on bulletins: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = runCLI(t, "sql", "--db", db, "select 'bulletin runs: ' || count(*) as n from runs where kind = 'bulletin' and status = 'succeeded'")
	if !strings.Contains(out, "bulletin runs: 3") {
		t.Errorf("want the three successful publications recorded as runs:\n%s", out)
	}
}

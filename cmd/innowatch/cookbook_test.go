package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateCookbook = flag.Bool("update-cookbook", false, "rewrite the results in docs/COOKBOOK.md from the sample warehouse")

// recipe is one question of the cookbook: its SQL and the result it states.
type recipe struct {
	title, sql, result string
	params             []string
	resultAt           [2]int // byte range of the result block's body
}

var (
	recipeRE = regexp.MustCompile("(?s)\n### ([^\n]+)\n.*?```sql\n(.*?)```\n\\s*```text\n(.*?)```")
	paramRE  = regexp.MustCompile(`(?m)^-- param: (\S+=\S*)$`)
)

func readCookbook(t *testing.T) (string, []recipe) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "COOKBOOK.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	var rs []recipe
	for _, m := range recipeRE.FindAllStringSubmatchIndex(doc, -1) {
		r := recipe{title: doc[m[2]:m[3]], sql: doc[m[4]:m[5]], result: doc[m[6]:m[7]], resultAt: [2]int{m[6], m[7]}}
		for _, p := range paramRE.FindAllStringSubmatch(r.sql, -1) {
			r.params = append(r.params, "--param", p[1])
		}
		rs = append(rs, r)
	}
	return doc, rs
}

// TestCookbook runs every question of docs/COOKBOOK.md through `innowatch
// sql` on the sample warehouse; each must print exactly the result the
// cookbook states. -update-cookbook rewrites the results (review the diff).
func TestCookbook(t *testing.T) {
	db := sampleWarehouse(t)
	doc, rs := readCookbook(t)
	if len(rs) < 15 {
		t.Fatalf("the cookbook has %d questions with SQL and a result; want at least 15", len(rs))
	}
	if got := strings.Count(doc, "\n### "); got != len(rs) {
		t.Fatalf("%d questions but %d with a ```sql and a ```text block", got, len(rs))
	}
	var b strings.Builder
	last := 0
	for _, r := range rs {
		// "--" ends the flags: the SQL may start with a comment.
		args := append(append([]string{"sql", "--db", db}, r.params...), "--", r.sql)
		out, errOut, code := runCLI(t, args...)
		if code != 0 {
			t.Errorf("%s: exit %d\n%s", r.title, code, errOut)
			continue
		}
		if strings.HasPrefix(out, "(0 rows)") || strings.Contains(out, "\n(0 rows)") {
			t.Errorf("%s: returns no rows; a cookbook answer should show something", r.title)
		}
		if *updateCookbook {
			b.WriteString(doc[last:r.resultAt[0]])
			b.WriteString(out)
			last = r.resultAt[1]
			continue
		}
		if diff := cmp.Diff(r.result, out); diff != "" {
			t.Errorf("%s (-cookbook +got):\n%s", r.title, diff)
		}
	}
	if *updateCookbook {
		b.WriteString(doc[last:])
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "COOKBOOK.md"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

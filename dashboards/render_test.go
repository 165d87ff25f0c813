package dashboards

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/linyi-sti/innowatch"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// render renders the fixture into a new folder.
func render(t *testing.T, o fixtureOpts, opt Options) (Result, string) {
	t.Helper()
	db := newFixture(t, o)
	out := filepath.Join(t.TempDir(), "site")
	if opt.Now == nil {
		opt.Now = fixedNow
	}
	if opt.Models == nil {
		opt.Models = fixtureModels(t)
	}
	res, err := Render(context.Background(), db, out, opt)
	if err != nil {
		t.Fatalf("Render: %v (hint: %s)", err, innowatch.HintOf(err))
	}
	return res, out
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestScratch(t *testing.T) {
	res, out := render(t, fixtureOpts{sample: true}, Options{})
	t.Log(res.Pages)
	os.RemoveAll("/tmp/scratch-site")
	os.Rename(out, "/tmp/scratch-site")
}

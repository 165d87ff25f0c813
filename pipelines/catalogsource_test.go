package pipelines

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/linyi-sti/innowatch"
)

// countingCatalog is a catalog source that counts the times it is asked,
// and fails when it has no catalog to give.
type countingCatalog struct {
	cat   *innowatch.Catalog
	asked int
}

var errNoCatalog = errors.New("the catalog was asked for")

func (c *countingCatalog) Catalog() (*innowatch.Catalog, error) {
	c.asked++
	if c.cat == nil {
		return nil, errNoCatalog
	}
	return c.cat, nil
}

// A file recognised as loaded before is neither parsed nor checked, so the
// catalog is never asked for (a run whose files are all unchanged does not
// load it); a changed file asks for it, and its failure is the ingest's.
func TestRecognisedFileNeedsNoCatalog(t *testing.T) {
	ctx := context.Background()
	db, cat := testWarehouse(t)
	l := &Loader{DB: db, Now: testNow}
	path, data := fixtureCopy(t, "testdata/good/long_utf8.csv")
	files := []File{{Name: "long.csv", Path: path}}
	src := &countingCatalog{cat: cat}
	if res, err := Ingest(ctx, l, src, 1, files, Options{Now: testNow}); err != nil || res[0].Status != Loaded || src.asked != 1 {
		t.Fatalf("first load: %v %v, catalog asked %d times; want loaded, asked once", res, err, src.asked)
	}
	none := &countingCatalog{}
	res, err := Ingest(ctx, l, none, 2, files, Options{Now: testNow})
	if err != nil || res[0].Status != Unchanged || none.asked != 0 {
		t.Fatalf("same bytes: %v %v, catalog asked %d times; want unchanged without asking", res, err, none.asked)
	}
	// A dry run recognises nothing: it validates, so it needs the catalog.
	if _, err := Ingest(ctx, l, none, 3, files, Options{Now: testNow, DryRun: true}); !errors.Is(err, errNoCatalog) {
		t.Fatalf("dry run without a catalog: %v, want the source's error", err)
	}
	if err := os.WriteFile(path, append(data, data[len(data)-1]), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Ingest(ctx, l, none, 4, files, Options{Now: testNow}); !errors.Is(err, errNoCatalog) || none.asked != 2 {
		t.Fatalf("changed file without a catalog: %v (asked %d times), want the source's error", err, none.asked)
	}
}

package registers

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/pipelines/sample"
)

// TestUnchangedRosterIsNotRead: a roster file loaded before is recognised by
// its bytes before it is read (the national certificate roster takes
// seconds to validate); one changed byte is read and loaded again.
func TestUnchangedRosterIsNotRead(t *testing.T) {
	ctx := context.Background()
	db, cat := testWarehouse(t)
	now := time.Date(2020, 11, 5, 0, 0, 0, 0, time.UTC)
	reads := 0
	read = func(name string, data []byte, cat *innowatch.Catalog, opt Options) *Roster {
		reads++
		return Read(name, data, cat, opt)
	}
	t.Cleanup(func() { read = Read })

	fsys := fstest.MapFS{}
	names, err := fs.Glob(sample.RegistersFS(), "*.csv")
	if err != nil || len(names) < 2 {
		t.Fatalf("sample rosters %v: %v", names, err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(sample.RegistersFS(), n)
		if err != nil {
			t.Fatal(err)
		}
		fsys[n] = &fstest.MapFile{Data: b}
	}
	// The catalog is given only to a load that reads a file: unchanged
	// rosters never ask for it.
	asked := 0
	load := func(step string) map[string]LoadResult {
		t.Helper()
		asked = 0
		cats := innowatch.LazyCatalog(func() (*innowatch.Catalog, error) { asked++; return cat, nil })
		res, err := LoadFS(ctx, db, cats, fsys, "", 1, now)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		out := map[string]LoadResult{}
		for _, r := range res {
			out[r.File] = r.Load
		}
		return out
	}
	first := load("first load")
	if reads != len(names) {
		t.Fatalf("first load read %d files, want %d", reads, len(names))
	}
	if asked != 1 {
		t.Errorf("first load asked for the catalog %d times, want once", asked)
	}
	second := load("same bytes")
	if reads != len(names) || asked != 0 {
		t.Errorf("same bytes: %d reads in all, want %d (none again); catalog asked %d times, want none", reads, len(names), asked)
	}
	for _, n := range names {
		if second[n].Status != Unchanged || second[n].LoadID != first[n].LoadID || second[n].Kind != first[n].Kind {
			t.Errorf("%s: %+v, want unchanged as load #%d (%s)", n, second[n], first[n].LoadID, first[n].Kind)
		}
	}

	// One byte of one file changed: that file alone is read and loaded.
	changed := names[0]
	b := append([]byte(nil), fsys[changed].Data...)
	b[len(b)-2] ^= 1 // inside the last row's last cell, before the newline
	fsys[changed] = &fstest.MapFile{Data: b}
	third := load("one byte changed")
	if reads != len(names)+1 || asked != 1 {
		t.Errorf("one byte changed: %d reads in all, want %d; catalog asked %d times, want once", reads, len(names)+1, asked)
	}
	for _, n := range names {
		want := Unchanged
		if n == changed {
			want = Loaded
		}
		if third[n].Status != want {
			t.Errorf("%s after one byte of %s changed: %s, want %s", n, changed, third[n].Status, want)
		}
	}
}

// TestRosterMappingIsPartOfItsIdentity: the same bytes read with another
// mapping are loaded again, not called unchanged (issue 13's rule for facts,
// for rosters).
func TestRosterMappingIsPartOfItsIdentity(t *testing.T) {
	ctx := context.Background()
	db, cat := testWarehouse(t)
	now := time.Date(2020, 11, 5, 0, 0, 0, 0, time.UTC)
	data, err := fs.ReadFile(sample.RegistersFS(), "hitech_certificates.csv")
	if err != nil {
		t.Fatal(err)
	}
	ro := Read("certs.csv", data, cat, Options{})
	if ro.HasErrors() {
		t.Fatalf("sample roster refused: %v", ro.Problems)
	}
	first, err := Load(ctx, db, ro, 1, now)
	if err != nil || first.Status != Loaded {
		t.Fatalf("first load: %+v, %v", first, err)
	}
	if again, err := Load(ctx, db, ro, 1, now); err != nil || again.Status != Unchanged {
		t.Fatalf("same bytes, same mapping: %+v, %v; want unchanged", again, err)
	}
	ro.Mapping = "county_certs.yaml"
	mapped, err := Load(ctx, db, ro, 1, now)
	if err != nil || mapped.Status != Loaded || mapped.LoadID == first.LoadID {
		t.Fatalf("same bytes, another mapping: %+v, %v; want a new load", mapped, err)
	}
	// Recognise answers only for loads read without a mapping.
	if _, same, err := Recognise(ctx, db, "certs.csv", data, Options{}); err != nil || same {
		t.Errorf("recognised a roster whose latest load used a mapping (same=%v, %v)", same, err)
	}
}

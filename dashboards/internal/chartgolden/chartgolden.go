// Package chartgolden is the JSON-equivalence test of the charts (issue 18):
// it takes the ECharts options a page hands the browser out of the page,
// decodes them and compares them with golden JSON files, so key order and
// number spelling do not matter but every key and value does.
package chartgolden

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Extract decodes the JSON value written after marker (up to the closing
// ";</script>") in a page.
func Extract(t testing.TB, page []byte, marker string) any {
	t.Helper()
	i := bytes.Index(page, []byte(marker))
	if i < 0 {
		return nil
	}
	rest := page[i+len(marker):]
	j := bytes.Index(rest, []byte(";\n"))
	if k := bytes.Index(rest, []byte(";</script>")); k >= 0 && (j < 0 || k < j) {
		j = k
	}
	if j < 0 {
		t.Fatalf("no end to the JSON after %q", marker)
	}
	var v any
	if err := json.Unmarshal(rest[:j], &v); err != nil {
		t.Fatalf("the options after %q are not JSON: %v", marker, err)
	}
	return v
}

// Check compares got with the golden file (rewritten first with update).
// Both sides pass through Normalise.
func Check(t testing.TB, golden string, got any, update bool) {
	t.Helper()
	if update {
		b, err := json.MarshalIndent(got, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run the test with -update on the old code first)", err)
	}
	var want any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v", golden, err)
	}
	if diff := cmp.Diff(Normalise(want), Normalise(got)); diff != "" {
		t.Errorf("chart options differ from %s (-want +got):\n%s", golden, diff)
	}
}

// Normalise is where a representation the chart library forces, and that
// ECharts reads the same, would be made equal on both sides. It changes
// nothing yet.
func Normalise(v any) any { return v }

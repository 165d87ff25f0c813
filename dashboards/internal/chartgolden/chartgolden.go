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
	"strconv"
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

// Normalise makes equal, on both sides, the two spellings go-echarts'
// types force and ECharts reads the same:
//   - positions and sizes typed as strings in go-echarts (opts.Grid,
//     opts.Legend, charts.SingleSeries' left/right/top/bottom and
//     barMaxWidth, opts.AxisLabel's interval): "8" is 8 to ECharts, which
//     reads them with parsePercent (interval "0" steps by 1 as 0 does);
//   - opts.AxisLabel's showMinLabel and showMaxLabel, written as null
//     because they lack omitempty: null is ECharts' default for both;
//   - an empty name: go-echarts omits it (omitempty), the hand-built maps
//     wrote an axis name "" where a unit has no English word; "" is
//     ECharts' default name;
//   - a data item's "value": null: opts.BarData omits a nil value
//     (omitempty); a data item without a value is a missing value to
//     ECharts, as null is.
//
// Any other difference, a string that is a number elsewhere included,
// stays a difference.
func Normalise(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			switch {
			case (k == "showMinLabel" || k == "showMaxLabel") && x == nil, k == "name" && x == "", k == "value" && x == nil:
				continue
			case numericAsString[k]:
				if s, ok := x.(string); ok {
					if f, err := strconv.ParseFloat(s, 64); err == nil {
						x = f
					}
				}
			}
			out[k] = Normalise(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = Normalise(x)
		}
		return out
	}
	return v
}

var numericAsString = map[string]bool{"left": true, "right": true, "top": true, "bottom": true, "barMaxWidth": true, "interval": true}

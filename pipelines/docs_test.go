package pipelines

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestProblemKeysDocumented: every problem key the code can produce has a
// row in docs/INGEST.md, so that a statistician can look any of them up.
func TestProblemKeysDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/INGEST.md")
	if err != nil {
		t.Fatal(err)
	}
	sources, _ := filepath.Glob("*.go")
	reLine := regexp.MustCompile(`Key: "|\.bad\(|\.addf\(|\.warn\(`)
	reKey := regexp.MustCompile(`"([a-z]+(?:_[a-z]+)+|[a-z]{6,})"`)
	keys := map[string]bool{}
	for _, src := range sources {
		if strings.HasSuffix(src, "_test.go") {
			continue
		}
		data, _ := os.ReadFile(src)
		for _, line := range strings.Split(string(data), "\n") {
			if !reLine.MatchString(line) {
				continue
			}
			for _, m := range reKey.FindAllStringSubmatch(line, -1) {
				switch m[1] {
				case "region_code", "region_name", "indicator", "period", "status", "value", "unit", "target_value",
					"description_zh", "baseline_period", "target_kind", "target_max":
					continue // column names on the same line
				}
				keys[m[1]] = true
			}
		}
	}
	if len(keys) < 30 {
		t.Fatalf("found only %d keys in the sources: the scan is broken", len(keys))
	}
	for k := range keys {
		if !strings.Contains(string(doc), "`"+k+"`") {
			t.Errorf("problem key %s is not documented in docs/INGEST.md", k)
		}
	}
}

package dashboards

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Every message key the code or a template names exists, with both
// languages; keys built at run time are listed here with their values.
func TestMessagesCoverKeys(t *testing.T) {
	used := map[string]bool{}
	static := regexp.MustCompile(`\b(?:tr|tf)\("([a-zA-Z0-9_.]+)"|\{\{-? ?(?:t|tz) "([a-zA-Z0-9_.]+)"`)
	files, _ := filepath.Glob("*.go")
	tmpl, _ := filepath.Glob("templates/*.html")
	for _, f := range append(files, tmpl...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range static.FindAllStringSubmatch(string(b), -1) {
			if k := m[1] + m[2]; !strings.HasSuffix(k, ".") { // a prefix: see dynamic
				used[k] = true
			}
		}
	}
	dynamic := map[string][]string{
		"kind.":       {"amount", "count", "ratio"},
		"tkind.":      {"total", "net_increase", "new_count", "point_increase", "above_province", "ytd_count", "count_this_year"},
		"freq.":       {"annual", "monthly"},
		"better.":     {"higher", "lower"},
		"basisShort.": {"ratio", "per_unit"},
		"level.":      {"city", "county", "zone"},
		"status.":     {"provisional", "final"},
		"transform.":  {"none", "sqrt"},
		"fresh.":      {"months", "years"},
		"chart.":      {"province", "provinceCountyAvg", "provinceCityAvg"},
		"vs.":         {"indexCity", "indexCounty"},
		"target.":     {"sentenceAhead", "sentenceBehind"},
	}
	for prefix, keys := range dynamic {
		for _, k := range keys {
			used[prefix+k] = true
		}
	}
	var missing []string
	for k := range used {
		m, ok := messages[k]
		if !ok {
			missing = append(missing, k)
			continue
		}
		if m.Zh == "" || m.En == "" {
			t.Errorf("message %s lacks a language: %q", k, m)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("keys used but not in messages.go: %v", missing)
	}
	for k := range messages {
		if !used[k] {
			t.Errorf("message %s is never used", k)
		}
	}
}

func TestCompact(t *testing.T) {
	for _, tt := range []struct {
		v        float64
		decimals int
		unit     string
		want     bi
	}{
		{73129, 2, "亿元", bi{"7.31万亿元", "7,312.900 billion yuan"}},
		{20412, 0, "家", bi{"2.04万家", "20,412"}},
		{599, 0, "家", bi{"599家", "599"}},
		{2.3, 2, "%", bi{"2.30%", "2.30%"}},
		{4805.25, 2, "亿元", bi{"4,805.25亿元", "480.525 billion yuan"}},
		{3.1, 2, "亿元", bi{"3.10亿元", "310 million yuan"}},
		{212.7, 1, "万平方米", bi{"212.7万平方米", "2.127 million m²"}},
		{50, 1, "万平方米", bi{"50.0万平方米", "500,000 m²"}},
		{123456789, 0, "项", bi{"1.23亿项", "123,456,789"}},
	} {
		if got := withUnit(tt.v, tt.decimals, tt.unit); got != tt.want {
			t.Errorf("withUnit(%v, %d, %s) = %q, want %q", tt.v, tt.decimals, tt.unit, got, tt.want)
		}
	}
}

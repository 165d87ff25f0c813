package dashboards

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linyi-sti/innowatch/dashboards/internal/chartgolden"
)

// TestChartOptionsGolden is the JSON-equivalence test of issue 18: the
// ECharts options of every chart on every page of the sample site, in both
// languages and every variant, as the page hands them to the browser,
// compared as decoded JSON with testdata/charts (written by the hand-built
// maps before the move to go-echarts' types). A changed key or value on any
// chart fails it.
func TestChartOptionsGolden(t *testing.T) {
	res, out := render(t, fixtureOpts{sample: true}, Options{})
	seen := map[string]bool{}
	for _, p := range res.Pages {
		checkChartOptions(t, out, p, seen)
	}
	// The register page's flow chart needs the sample rosters loaded.
	checkChartOptions(t, renderWithRosters(t), registersPath, seen)
	// Every kind of chart the site draws is in the goldens.
	for _, id := range []string{"chart_map", "chart_bar", "chart_trend", "chart_months", "chart_month_bars", "chart_league",
		"chart_radar", "chart_index_trend", "chart_targets", "chart_lineage", "chart_hitech_flows"} {
		if !seen[id] {
			t.Errorf("no page of the sample site draws %s", id)
		}
	}
}

// checkChartOptions compares one page's chart options with its golden file
// (a page without charts has none) and notes the chart IDs seen.
func checkChartOptions(t *testing.T, site, page string, seen map[string]bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(site, page))
	if err != nil {
		t.Fatal(err)
	}
	got := chartgolden.Extract(t, b, "var INNOWATCH_CHARTS = ")
	if got == nil {
		return
	}
	specs, _ := got.([]any)
	for _, s := range specs {
		if m, ok := s.(map[string]any); ok {
			seen[fmt.Sprint(m["id"])] = true
		}
	}
	t.Run(page, func(t *testing.T) {
		golden := filepath.Join("testdata", "charts", strings.TrimSuffix(strings.ReplaceAll(page, "/", "_"), ".html")+".json")
		chartgolden.Check(t, golden, got, *update)
	})
}

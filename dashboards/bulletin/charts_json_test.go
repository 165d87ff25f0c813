package bulletin

import (
	"path/filepath"
	"testing"

	"github.com/linyi-sti/innowatch/dashboards/internal/chartgolden"
)

// TestChartOptionsGolden is the bulletin's half of issue 18's
// JSON-equivalence test: the figures' ECharts options of the sample
// bulletins, as the HTML hands them to the browser, compared as decoded
// JSON with testdata/charts (written by the hand-built maps before the move
// to go-echarts' types).
func TestChartOptionsGolden(t *testing.T) {
	eachGoldenMonth(t, func(t *testing.T, m string, doc *Document) {
		got := chartgolden.Extract(t, doc.HTML, "var specs = ")
		if got == nil {
			t.Fatal("the bulletin has no figures")
		}
		chartgolden.Check(t, filepath.Join("testdata", "charts", m+".json"), got, *update)
	})
}

package echartsext

import (
	"encoding/json"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/google/go-cmp/cmp"
)

// TestOption: what go-echarts' JSON() writes for components a chart does
// not use is dropped, lists of one are objects, the extension's fields are
// written, and a label or mark line set on go-echarts' own SingleSeries
// fields is kept though Series' fields shadow them (encoding/json would
// otherwise drop it silently).
func TestOption(t *testing.T) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithGridOpts(opts.Grid{Left: "8"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: []string{"a"}}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}))
	b, err := json.Marshal(Option(&bar.BaseConfiguration, Extra{
		TextStyle: &opts.TextStyle{FontFamily: "sans-serif"},
		Confine:   true,
		Series: []Series{
			{SingleSeries: charts.SingleSeries{Type: "bar", Data: []opts.BarData{{Value: 0.0}},
				Label: &opts.Label{Position: "right"}, MarkLines: &opts.MarkLines{Data: []any{opts.MarkLineNameXAxisItem{XAxis: 1}}}}},
			{SingleSeries: charts.SingleSeries{Type: "bar", Label: &opts.Label{Position: "ignored"}},
				Label: &Label{TextBorderWidth: 2}, MarkLine: DashedLine(opts.MarkLineNameYAxisItem{YAxis: 100}, nil, "#000", 0)},
		},
	}))
	if err != nil {
		t.Fatal(err)
	}
	var got any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"textStyle": map[string]any{"fontFamily": "sans-serif"},
		"tooltip":   map[string]any{"trigger": "axis", "confine": true},
		"grid":      map[string]any{"left": "8"},
		"xAxis":     map[string]any{"type": "value"},
		"yAxis":     map[string]any{"type": "category", "data": []any{"a"}},
		"series": []any{
			map[string]any{"type": "bar", "data": []any{map[string]any{"value": 0.0}},
				"label": map[string]any{"position": "right"}, "markLine": map[string]any{"data": []any{map[string]any{"xAxis": 1.0}}}},
			map[string]any{"type": "bar", "label": map[string]any{"textBorderWidth": 2.0},
				"markLine": map[string]any{"data": []any{map[string]any{"yAxis": 100.0}}, "silent": true,
					"symbol": []any{"none", "none"}, "lineStyle": map[string]any{"color": "#000", "type": "dashed"}}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("option (-want +got):\n%s", diff)
	}
}

// TestOptionLegend: go-echarts always writes a legend, and ECharts draws
// an empty one; it stays only when the chart has one.
func TestOptionLegend(t *testing.T) {
	for _, legend := range []bool{false, true} {
		line := charts.NewLine()
		line.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Top: "0"}))
		o := Option(&line.BaseConfiguration, Extra{Legend: legend})
		if _, has := o["legend"]; has != legend {
			t.Errorf("Legend %v: legend written %v", legend, has)
		}
	}
}

// Package echartsext is the one typed extension of go-echarts' option types
// (github.com/go-echarts/go-echarts/v2, v2.6.7) that the dashboard pages and
// the bulletin need, and the step that turns a go-echarts chart into the
// option object our own html/template pages serialize (they escape it; no
// go-echarts page template, asset list or CDN is ever used).
//
// What go-echarts v2.6.7 lacks, and is added here:
//   - the option's root textStyle (the site's font stack): BaseConfiguration
//     has no textStyle;
//   - tooltip.confine (tooltips stay inside the chart on a phone): not in
//     opts.Tooltip;
//   - markLine.silent (the province's line takes no hover): not in
//     opts.MarkLines;
//   - series.showLegendSymbol and series.nameMap (the county map, English
//     names on the Chinese map file): not in charts.SingleSeries;
//   - label.textBorderColor / textBorderWidth (county names on a halo): not
//     in opts.Label;
//   - visualMap.itemHeight and visualMap.precision, and min/max as float64
//     written even when 0 (opts.VisualMap has float32 with omitempty, which
//     drops a minimum of 0 and rounds large values);
//   - radar.radius, and indicator min/max as float64 written even when 0;
//   - per-item lineStyle, itemStyle, areaStyle and symbol of radar data
//     (opts.RadarData has only name and value);
//   - a graph node's label, and x/y as float64 written even when 0
//     (opts.GraphNode has float32 x/y with omitempty: the first column sits
//     at x = 0).
//
// go-echarts' JSON() also writes components a chart does not use — an empty
// title and toolbox, a legend (ECharts draws an empty legend object), its
// default palette as "color" — and lists where ECharts takes a single
// object (grid, xAxis, yAxis with one axis): Option drops the first and
// writes the second as the object, through go-echarts' own
// ConfigurationVisitor, so the options stay those the pages wrote before.
package echartsext

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// Extra is what a chart needs beyond its go-echarts configuration.
type Extra struct {
	TextStyle *opts.TextStyle
	Confine   bool // tooltip.confine
	Legend    bool // the chart has a legend (set with charts.WithLegendOpts)
	VisualMap *VisualMap
	Radar     *Radar
	// Series replaces the chart's MultiSeries: go-echarts' series with the
	// fields below added.
	Series []Series
}

// Series is one series: go-echarts' typed series plus the options it lacks.
// The fields here are shallower than SingleSeries' label and markLine, so
// encoding/json writes these in their place (and would drop SingleSeries'
// own: Option moves those here when these are unset).
type Series struct {
	charts.SingleSeries
	ShowLegendSymbol types.Bool        `json:"showLegendSymbol,omitempty"`
	NameMap          map[string]string `json:"nameMap,omitempty"`
	Label            *Label            `json:"label,omitempty"`
	MarkLine         *MarkLine         `json:"markLine,omitempty"`
}

// Label adds the text border to opts.Label.
type Label struct {
	opts.Label
	TextBorderColor string  `json:"textBorderColor,omitempty"`
	TextBorderWidth float32 `json:"textBorderWidth,omitempty"`
}

// MarkLine adds silent to opts.MarkLines.
type MarkLine struct {
	opts.MarkLines
	Silent bool `json:"silent,omitempty"`
}

// VisualMap adds itemHeight and precision to opts.VisualMap, and writes
// min and max as float64, 0 included.
type VisualMap struct {
	opts.VisualMap
	Min        float64 `json:"min"`
	Max        float64 `json:"max"`
	ItemHeight int     `json:"itemHeight,omitempty"`
	Precision  int     `json:"precision"`
}

// Radar adds radius to opts.RadarComponent and writes its indicators' min
// and max as float64, 0 included.
type Radar struct {
	opts.RadarComponent
	Indicator []RadarIndicator `json:"indicator,omitempty"`
	Radius    string           `json:"radius,omitempty"`
}

// RadarIndicator is one spoke of a radar.
type RadarIndicator struct {
	Name string  `json:"name,omitempty"`
	Max  float64 `json:"max"`
	Min  float64 `json:"min"`
}

// RadarItem is one radar data item with its own styles.
type RadarItem struct {
	opts.RadarData
	Symbol    string          `json:"symbol,omitempty"`
	LineStyle *opts.LineStyle `json:"lineStyle,omitempty"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	AreaStyle *opts.AreaStyle `json:"areaStyle,omitempty"`
}

// GraphNode adds a label to opts.GraphNode and writes x and y as float64,
// 0 included.
type GraphNode struct {
	opts.GraphNode
	X     float64     `json:"x"`
	Y     float64     `json:"y"`
	Label *opts.Label `json:"label,omitempty"`
}

// Option is the chart's option object, ready for json.Marshal: go-echarts'
// JSON() with x applied.
func Option(bc *charts.BaseConfiguration, x Extra) map[string]any {
	bc.Accept(visitor{x: x})
	return bc.JSON()
}

type visitor struct {
	charts.BaseConfigurationVisitor
	x Extra
}

func (v visitor) Visit(o map[string]any) {
	delete(o, "title")
	delete(o, "toolbox")
	delete(o, "color")
	if !v.x.Legend {
		delete(o, "legend")
	}
	if v.x.TextStyle != nil {
		o["textStyle"] = v.x.TextStyle
	}
	if v.x.VisualMap != nil {
		o["visualMap"] = v.x.VisualMap
	}
	if v.x.Radar != nil {
		o["radar"] = v.x.Radar
	}
	series := make([]Series, len(v.x.Series))
	for i, s := range v.x.Series {
		if s.Label == nil && s.SingleSeries.Label != nil {
			s.Label = &Label{Label: *s.SingleSeries.Label}
		}
		if s.MarkLine == nil && s.MarkLines != nil {
			s.MarkLine = &MarkLine{MarkLines: *s.MarkLines}
		}
		s.SingleSeries.Label, s.MarkLines = nil, nil
		series[i] = s
	}
	o["series"] = series
}

type tooltip struct {
	opts.Tooltip
	Confine bool `json:"confine,omitempty"`
}

func (v visitor) VisitTooltipOpt(t opts.Tooltip) any { return tooltip{t, v.x.Confine} }

func (v visitor) VisitXAxis(a []opts.XAxis) any { return one(a) }

func (v visitor) VisitYAxis(a []opts.YAxis) any { return one(a) }

func (v visitor) VisitGrid(g []opts.Grid) any { return one(g) }

// one writes a list of one as the object: ECharts reads both the same.
func one[T any](list []T) any {
	if len(list) == 1 {
		return list[0]
	}
	return list
}

// DashedLine is a silent, dashed mark line without end symbols through one
// point (an opts.MarkLineNameXAxisItem or opts.MarkLineNameYAxisItem).
func DashedLine(point any, label *opts.Label, color string, width float32) *MarkLine {
	return &MarkLine{MarkLines: opts.MarkLines{Data: []any{point}, MarkLineStyle: opts.MarkLineStyle{
		Symbol: []string{"none", "none"}, Label: label,
		LineStyle: &opts.LineStyle{Color: color, Type: "dashed", Width: width},
	}}, Silent: true}
}

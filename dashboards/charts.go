package dashboards

import (
	"sort"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards/internal/echartsext"
)

// Charts are built with go-echarts' option types (charts.NewBar() … and
// the typed opts), plus the few options its types lack, from
// internal/echartsext; obj is the option object that yields, which our own
// html/template pages serialize and escape. Each chart is built once per
// language (the switch re-sets the option). Fixed chart IDs (in chartSpec,
// not go-echarts' random ones) keep the output deterministic and name the
// DOM elements the browser test inspects.
type obj = map[string]any

// chartSpec is one chart as assets/site.js reads it: options per variant
// (the indicator chosen in a switch; "" when the chart has one) and per
// language.
type chartSpec struct {
	ID       string                 `json:"id"`
	Group    string                 `json:"group,omitempty"`
	Default  string                 `json:"default"`
	Variants map[string]langOptions `json:"variants"`
}

type langOptions struct {
	Zh obj `json:"zh"`
	En obj `json:"en"`
}

// build makes one chart's options in both languages.
func build(f func(lang string) obj) langOptions { return langOptions{Zh: f("zh"), En: f("en")} }

// single is a chart with one variant.
func single(id string, f func(lang string) obj) chartSpec {
	return chartSpec{ID: id, Variants: map[string]langOptions{"": build(f)}}
}

// Colours: a sequential blue ramp for the map; bars better than the
// province in the dark end of it, worse in a warm tone.
var (
	mapRamp       = []string{"#e3eef9", "#9ecae1", "#4292c6", "#08519c"}
	colorAbove    = "#2171b5"
	colorBelow    = "#e6813c"
	colorMissing  = "#d9d9d9"
	colorNeutral  = "#969696" // a value with nothing to compare it with
	colorProvince = "#b2182b"
	colorCity     = "#08519c"
	colorLastYear = "#9ecae1"
	tierColors    = []string{"#08519c", "#4292c6", "#9ecae1", "#c6dbef"}
	lineColors    = []string{"#08519c", "#e6813c", "#31a354", "#756bb1", "#d6616b", "#636363"}
)

const fontStack = `"PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Zen Hei","Noto Sans CJK SC",sans-serif`

// option is a chart's option object with what every chart shares: no
// animation (screenshots and print see the final state), the site's font,
// a tooltip confined to the chart, on items unless the chart set one.
func option(bc *charts.BaseConfiguration, x echartsext.Extra) obj {
	bc.Animation = opts.Bool(false)
	if bc.Tooltip.Trigger == "" {
		bc.Tooltip.Trigger = "item"
	}
	x.TextStyle = &opts.TextStyle{FontFamily: fontStack}
	x.Confine = true
	return echartsext.Option(bc, x)
}

// px is a position or size in pixels, as go-echarts types them.
func px(n int) string { return strconv.Itoa(n) }

// grid is the plot area inside its margins, axis labels included.
func grid(left, right, top, bottom int) charts.GlobalOpts {
	return charts.WithGridOpts(opts.Grid{Left: px(left), Right: px(right), Top: px(top), Bottom: px(bottom), ContainLabel: opts.Bool(true)})
}

// countyMap colours the 12 counties by value. Zones have no polygon; they
// are in the bars and the table. A county without a value keeps its
// polygon, in grey, with no value: missing is not zero.
func countyMap(w *warehouse, in *indicator, rows []*comparison, lang string) obj {
	values := map[string]*comparison{}
	for _, r := range rows {
		if r.Level == "county" {
			values[r.Region] = r
		}
	}
	codes := make([]string, 0, len(w.cityMap.Counties))
	for c := range w.cityMap.Counties {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var data []opts.MapData
	nameMap := map[string]string{}
	lo, hi, seen := 0.0, 0.0, false
	for _, code := range codes {
		name := w.cityMap.Counties[code]
		if lang == "en" {
			nameMap[name] = w.name(code, name).En
			name = w.name(code, name).En
		}
		item := opts.MapData{Name: name}
		if r := values[code]; r != nil && r.Value.Valid {
			v := roundTo(r.Value.Float64, in.Decimals)
			item.Value = v
			if !seen || v < lo {
				lo = v
			}
			if !seen || v > hi {
				hi = v
			}
			seen = true
		}
		data = append(data, item)
	}
	if !seen || lo == hi {
		hi = lo + 1
	}
	series := echartsext.Series{
		SingleSeries: charts.SingleSeries{
			Type: "map", MapType: w.cityMap.Name, Name: in.Name.pick(lang), Data: data,
			Top: px(4), Bottom: px(44), Left: px(4), Right: px(4),
			LabelLayout: &opts.LabelLayout{MoveOverlap: "shiftY"},
			ItemStyle:   &opts.ItemStyle{AreaColor: colorMissing, BorderColor: "#ffffff", BorderWidth: 1},
			Emphasis:    &opts.Emphasis{Label: &opts.Label{Show: opts.Bool(true)}, ItemStyle: &opts.ItemStyle{AreaColor: "#fdd49e"}},
		},
		ShowLegendSymbol: opts.Bool(false),
		// Every county named (issue 14, item 9): hideOverlap dropped 兰山区,
		// the central district, whose label always lost. site.js places the
		// three central districts' names inside their areas; any overlap
		// left is moved apart, on a light halo so names read over borders.
		Label: &echartsext.Label{Label: opts.Label{Show: opts.Bool(true), FontSize: 10, Color: "#1a1a1a"},
			TextBorderColor: "#ffffff", TextBorderWidth: 2},
	}
	if lang == "en" {
		series.NameMap = nameMap
	}
	return option(&charts.NewMap().BaseConfiguration, echartsext.Extra{
		VisualMap: &echartsext.VisualMap{
			VisualMap: opts.VisualMap{Type: "continuous", Calculable: opts.Bool(false),
				Text:    []string{tr("chart.high").pick(lang), tr("chart.low").pick(lang)},
				InRange: &opts.VisualMapInRange{Color: mapRamp}, Orient: "horizontal", Left: "center", Bottom: px(0)},
			Min: lo, Max: hi, ItemHeight: 120, Precision: in.Decimals,
		},
		Series: []echartsext.Series{series},
	})
}

// provinceLabel is the marked line's text: "全省 2.30%" for a ratio, the
// per-unit average for an amount or count.
func provinceLabel(in *indicator, level string, v float64) bi {
	key := "chart.province"
	if in.Basis == "per_unit" {
		key = "chart.provinceCountyAvg"
		if level == "city" {
			key = "chart.provinceCityAvg"
		}
	}
	return tf(key, formatNumber(v, in.compDecimals())+barUnit(in.Unit))
}

// rankBar ranks regions, best at the top, with the province as a vertical
// dashed line. Regions without a value keep their row, with no bar.
func rankBar(w *warehouse, in *indicator, rows []*comparison, lang string) obj {
	var names []string
	var data []opts.BarData
	var province *float64
	for _, r := range rows {
		name := w.name(r.Region, r.Name).pick(lang)
		if r.Province.Valid && province == nil {
			v := roundTo(r.Province.Float64, in.compDecimals())
			province = &v
		}
		if !r.Value.Valid {
			names = append(names, name+" —")
			data = append(data, opts.BarData{Name: name, Value: "-"})
			continue
		}
		// Blue or orange only against a provincial figure (issue 14, item 3):
		// without one the bar is neutral, neither better nor worse.
		color := colorNeutral
		switch {
		case r.Above.Valid && r.Above.Bool:
			color = colorAbove
		case r.Above.Valid:
			color = colorBelow
		}
		names = append(names, name)
		data = append(data, valueBar(name, r.Value.Float64, in, color))
	}
	var line *echartsext.MarkLine
	if province != nil {
		line = provinceLine(opts.MarkLineNameXAxisItem{Name: tr("chart.provinceName").pick(lang), XAxis: *province},
			provinceLabel(in, rows[0].Level, *province).pick(lang))
	}
	return rankedBars(in, names, data, 22, 30, line, lang)
}

// valueBar is a bar labelled with its value.
func valueBar(name string, v float64, in *indicator, color string) opts.BarData {
	return opts.BarData{Name: name, Value: roundTo(v, in.Decimals), ItemStyle: &opts.ItemStyle{Color: color},
		Label: &opts.Label{Formatter: formatNumber(v, in.Decimals) + barUnit(in.Unit)}}
}

// provinceLine is the province's value as a dashed line, labelled at its
// start.
func provinceLine(point any, label string) *echartsext.MarkLine {
	return echartsext.DashedLine(point, &opts.Label{Show: opts.Bool(true), Position: "start", Formatter: label, Color: colorProvince},
		colorProvince, 1.5)
}

// rankedBars is a ranking of horizontal bars, the first at the top, each
// labelled at its end.
func rankedBars(in *indicator, names []string, data []opts.BarData, barWidth, top int, line *echartsext.MarkLine, lang string) obj {
	bar := charts.NewBar()
	bar.SetGlobalOptions(grid(8, 56, top, 8),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: unitName(in.Unit).pick(lang)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), Data: names, AxisLabel: &opts.AxisLabel{FontSize: 11}}))
	return option(&bar.BaseConfiguration, echartsext.Extra{Series: []echartsext.Series{{
		SingleSeries: charts.SingleSeries{Type: "bar", Name: in.Name.pick(lang), Data: data, BarMaxWidth: px(barWidth)},
		Label:        barLabel,
		MarkLine:     line,
	}}})
}

// barLabel puts each bar's value at its end.
var barLabel = &echartsext.Label{Label: opts.Label{Show: opts.Bool(true), Position: "right", FontSize: 11}}

// barUnit is the unit written after a bar's value: only a percent sign,
// other units are in the axis and the table header.
func barUnit(unit string) string {
	if unit == "%" {
		return "%"
	}
	return ""
}

// trendPeriods are the points of a trend: every year's end (the annual
// period, or December) and the latest period when the year is not over.
// Year-to-date flows restart each January, so months in between would not
// line up.
func trendPeriods(series []*comparison) []innowatch.Period {
	var out []innowatch.Period
	var last innowatch.Period
	for _, c := range series {
		if !c.Value.Valid {
			continue
		}
		last = c.Period
		if c.Period.Annual() || c.Period.Month == 12 {
			out = append(out, c.Period)
		}
	}
	if last.Year != 0 && (len(out) == 0 || out[len(out)-1] != last) {
		out = append(out, last)
	}
	return out
}

// lineSeries is a line with missing points as gaps.
func lineSeries(name string, values []any, color string, dashed bool) echartsext.Series {
	style := &opts.LineStyle{Color: color, Width: 2}
	if dashed {
		style.Type = "dashed"
	}
	return echartsext.Series{SingleSeries: charts.SingleSeries{Type: "line", Name: name, Data: values, SymbolSize: 6,
		ConnectNulls: opts.Bool(false), ItemStyle: &opts.ItemStyle{Color: color}, LineStyle: style}}
}

func point(v float64, ok bool, decimals int) any {
	if !ok {
		return "-"
	}
	return roundTo(v, decimals)
}

// axisChart is a chart over a category axis (years or months) with the
// series' legend at the top and a tooltip on the axis. Lines or bars: each
// series says its type; go-echarts' bar and line configurations write the
// same axes.
func axisChart(labels []string, labelStyle *opts.AxisLabel, y opts.YAxis, series []echartsext.Series) obj {
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Top: px(0)}), grid(8, 16, 34, 8),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: labels, AxisLabel: labelStyle}),
		charts.WithYAxisOpts(y))
	return option(&bar.BaseConfiguration, echartsext.Extra{Legend: true, Series: series})
}

// trendChart draws the city's value against the province's comparison
// value (its ratio, or its per-city average) at every year's end.
func trendChart(w *warehouse, in *indicator, lang string) obj {
	series := w.series(w.city, in.Code)
	periods := trendPeriods(series)
	byPeriod := map[innowatch.Period]*comparison{}
	for _, c := range series {
		byPeriod[c.Period] = c
	}
	var labels []string
	var city, prov []any
	for _, p := range periods {
		c := byPeriod[p]
		// A December is the whole year: label it as the year.
		label := p
		if p.Month == 12 {
			label = innowatch.Period{Year: p.Year}
		}
		labels = append(labels, periodText(label, in.Flow).pick(lang))
		city = append(city, point(c.Value.Float64, c.Value.Valid, in.Decimals))
		prov = append(prov, point(c.Province.Float64, c.Province.Valid, in.compDecimals()))
	}
	provName := tr("chart.provinceName")
	if in.Basis == "per_unit" {
		provName = tr("chart.provinceCityAvgName")
	}
	return axisChart(labels, &opts.AxisLabel{FontSize: 11},
		opts.YAxis{Type: "value", Name: unitName(in.Unit).pick(lang), Scale: opts.Bool(true)},
		[]echartsext.Series{
			lineSeries(w.regionName(w.city).pick(lang), city, colorCity, false),
			lineSeries(provName.pick(lang), prov, colorProvince, true),
		})
}

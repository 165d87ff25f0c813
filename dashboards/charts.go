package dashboards

import (
	"sort"

	"github.com/linyi-sti/innowatch"
)

// Chart options are plain maps marshalled to JSON: exactly what ECharts
// receives, with map keys sorted by encoding/json, so output is stable.
// Each chart is built once per language (the switch re-sets the option).
// Fixed chart IDs keep the output deterministic and name the DOM elements
// the browser test inspects.
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

// base is what every chart shares: no animation (screenshots and print
// see the final state), the site's font, an item tooltip.
func base() obj {
	return obj{
		"animation": false,
		"textStyle": obj{"fontFamily": fontStack},
		"tooltip":   obj{"trigger": "item", "confine": true},
	}
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
	var data []obj
	nameMap := obj{}
	lo, hi, seen := 0.0, 0.0, false
	for _, code := range codes {
		name := w.cityMap.Counties[code]
		if lang == "en" {
			nameMap[name] = w.name(code, name).En
			name = w.name(code, name).En
		}
		item := obj{"name": name}
		if r := values[code]; r != nil && r.Value.Valid {
			v := roundTo(r.Value.Float64, in.Decimals)
			item["value"] = v
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
	series := obj{
		"type": "map", "map": w.cityMap.Name, "name": in.Name.pick(lang),
		"data": data, "showLegendSymbol": false,
		"top": 4, "bottom": 44, "left": 4, "right": 4,
		// Every county named (issue 14, item 9): hideOverlap dropped 兰山区,
		// the central district, whose label always lost. site.js places the
		// three central districts' names inside their areas; any overlap
		// left is moved apart, on a light halo so names read over borders.
		"label": obj{"show": true, "fontSize": 10, "color": "#1a1a1a",
			"textBorderColor": "#ffffff", "textBorderWidth": 2},
		"labelLayout": obj{"moveOverlap": "shiftY"},
		"itemStyle":   obj{"areaColor": colorMissing, "borderColor": "#ffffff", "borderWidth": 1},
		"emphasis":    obj{"label": obj{"show": true}, "itemStyle": obj{"areaColor": "#fdd49e"}},
	}
	if lang == "en" {
		series["nameMap"] = nameMap
	}
	o := base()
	o["visualMap"] = obj{
		"type": "continuous", "min": lo, "max": hi, "calculable": false,
		"text":    []string{tr("chart.high").pick(lang), tr("chart.low").pick(lang)},
		"inRange": obj{"color": mapRamp}, "orient": "horizontal", "left": "center", "bottom": 0,
		"itemHeight": 120, "precision": in.Decimals,
	}
	o["series"] = []obj{series}
	return o
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
	var data []obj
	var province *float64
	for _, r := range rows {
		name := w.name(r.Region, r.Name).pick(lang)
		if r.Province.Valid && province == nil {
			v := roundTo(r.Province.Float64, in.compDecimals())
			province = &v
		}
		if !r.Value.Valid {
			names = append(names, name+" —")
			data = append(data, obj{"name": name, "value": "-"})
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
		data = append(data, obj{
			"name": name, "value": roundTo(r.Value.Float64, in.Decimals),
			"itemStyle": obj{"color": color},
			"label":     obj{"formatter": formatNumber(r.Value.Float64, in.Decimals) + barUnit(in.Unit)},
		})
	}
	series := obj{
		"type": "bar", "name": in.Name.pick(lang), "data": data, "barMaxWidth": 22,
		"label": obj{"show": true, "position": "right", "fontSize": 11},
	}
	if province != nil {
		series["markLine"] = obj{
			"symbol": []string{"none", "none"}, "silent": true,
			"data":      []obj{{"name": tr("chart.provinceName").pick(lang), "xAxis": *province}},
			"label":     obj{"show": true, "position": "start", "formatter": provinceLabel(in, rows[0].Level, *province).pick(lang), "color": colorProvince},
			"lineStyle": obj{"color": colorProvince, "type": "dashed", "width": 1.5},
		}
	}
	o := base()
	o["grid"] = obj{"left": 8, "right": 56, "top": 30, "bottom": 8, "containLabel": true}
	o["xAxis"] = obj{"type": "value", "name": unitName(in.Unit).pick(lang)}
	o["yAxis"] = obj{"type": "category", "inverse": true, "data": names, "axisLabel": obj{"fontSize": 11}}
	o["series"] = []obj{series}
	return o
}

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
func lineSeries(name string, values []any, color string, dashed bool) obj {
	s := obj{"type": "line", "name": name, "data": values, "symbolSize": 6, "connectNulls": false,
		"itemStyle": obj{"color": color}, "lineStyle": obj{"color": color, "width": 2}}
	if dashed {
		s["lineStyle"] = obj{"color": color, "width": 2, "type": "dashed"}
	}
	return s
}

func point(v float64, ok bool, decimals int) any {
	if !ok {
		return "-"
	}
	return roundTo(v, decimals)
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
	o := base()
	o["tooltip"] = obj{"trigger": "axis", "confine": true}
	o["legend"] = obj{"top": 0}
	o["grid"] = obj{"left": 8, "right": 16, "top": 34, "bottom": 8, "containLabel": true}
	o["xAxis"] = obj{"type": "category", "data": labels, "axisLabel": obj{"fontSize": 11}}
	o["yAxis"] = obj{"type": "value", "name": unitName(in.Unit).pick(lang), "scale": true}
	o["series"] = []obj{
		lineSeries(w.regionName(w.city).pick(lang), city, colorCity, false),
		lineSeries(provName.pick(lang), prov, colorProvince, true),
	}
	return o
}

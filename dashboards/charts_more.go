package dashboards

import (
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards/internal/echartsext"
)

// monthAxis is 1月…12月 / Jan…Dec.
func monthAxis(lang string) []string {
	out := make([]string, 12)
	for i := range out {
		if lang == "en" {
			out[i] = monthsEn[i]
		} else {
			out[i] = strconv.Itoa(i+1) + "月"
		}
	}
	return out
}

// ytdChart compares the city's monthly values of the latest year with the
// same months a year earlier (year-to-date for a flow, the month's end
// stock otherwise): the 同比 picture month by month.
func ytdChart(w *warehouse, in *indicator, lang string) obj {
	year := in.latest.Year
	lines := []echartsext.Series{}
	for i, y := range []int{year - 1, year} {
		vals := make([]any, 12)
		for m := range vals {
			vals[m] = "-"
		}
		for _, c := range w.series(w.city, in.Code) {
			if c.Period.Year == y && !c.Period.Annual() && c.Value.Valid {
				vals[c.Period.Month-1] = roundTo(c.Value.Float64, in.Decimals)
			}
		}
		color := colorLastYear
		if i == 1 {
			color = colorCity
		}
		lines = append(lines, lineSeries(tf("chart.year", y).pick(lang), vals, color, i == 0))
	}
	return axisChart(monthAxis(lang), nil, opts.YAxis{Type: "value", Name: unitName(in.Unit).pick(lang), Scale: opts.Bool(true)}, lines)
}

// monthBars shows single-month values (monthly_values) of a flow for the
// latest year and the one before, side by side.
func monthBars(w *warehouse, in *indicator, lang string) obj {
	year := in.latest.Year
	var bars []echartsext.Series
	for i, y := range []int{year - 1, year} {
		vals := make([]any, 12)
		for m := range vals {
			vals[m] = "-"
		}
		for _, r := range w.monthly {
			if r.Indicator == in.Code && r.Period.Year == y && !r.Period.Annual() && r.Month.Valid {
				vals[r.Period.Month-1] = roundTo(r.Month.Float64, in.Decimals)
			}
		}
		color := colorLastYear
		if i == 1 {
			color = colorCity
		}
		bars = append(bars, echartsext.Series{SingleSeries: charts.SingleSeries{Type: "bar", Name: tf("chart.year", y).pick(lang),
			Data: vals, ItemStyle: &opts.ItemStyle{Color: color}, BarMaxWidth: px(14)}})
	}
	return axisChart(monthAxis(lang), nil, opts.YAxis{Type: "value", Name: unitName(in.Unit).pick(lang)}, bars)
}

// cityBar ranks the province's cities, coloured by tier, the focus city
// outlined, with the province's comparison value as a dashed line.
func cityBar(w *warehouse, in *indicator, rows []*cityRank, lang string) obj {
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
		color := tierColors[len(tierColors)-1]
		if r.Tier.Valid && r.Tier.Int64 >= 1 && int(r.Tier.Int64) <= len(tierColors) {
			color = tierColors[r.Tier.Int64-1]
		}
		if r.Focus.Valid && r.Focus.Bool {
			color = colorBelow
		}
		names = append(names, name)
		data = append(data, valueBar(name, r.Value.Float64, in, color))
	}
	var line *echartsext.MarkLine
	if province != nil {
		line = provinceLine(opts.MarkLineNameXAxisItem{XAxis: *province}, provinceLabel(in, "city", *province).pick(lang))
	}
	return rankedBars(in, names, data, 18, 26, line, lang)
}

// radarAxis is one spoke: an indicator and the region's index against the
// province (province = 100).
type radarAxis struct {
	Name  bi
	Index float64
}

// radarChart draws a region's indices against the province's circle at
// 100. Spokes run to the next 50 above the largest index (at least 150).
func radarChart(regionName bi, axes []radarAxis, lang string) obj {
	top := 150.0
	for _, a := range axes {
		top = math.Max(top, math.Ceil(a.Index/50)*50)
	}
	var ind []echartsext.RadarIndicator
	var values, hundred []float64
	for _, a := range axes {
		ind = append(ind, echartsext.RadarIndicator{Name: wrapName(a.Name.pick(lang), lang), Max: top, Min: 0})
		values = append(values, roundTo(a.Index, 1))
		hundred = append(hundred, 100)
	}
	radar := charts.NewRadar()
	radar.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Top: px(0)}))
	return option(&radar.BaseConfiguration, echartsext.Extra{
		Legend: true,
		Radar: &echartsext.Radar{
			RadarComponent: opts.RadarComponent{Center: []string{"50%", "56%"},
				AxisName: &opts.AxisName{Color: "#1a1a1a", FontSize: 11}, SplitNumber: 3},
			Indicator: ind, Radius: "55%",
		},
		Series: []echartsext.Series{{SingleSeries: charts.SingleSeries{Type: "radar", Data: []echartsext.RadarItem{
			{RadarData: opts.RadarData{Name: tr("chart.provinceIs100").pick(lang), Value: hundred},
				LineStyle: &opts.LineStyle{Color: colorProvince, Type: "dashed"}, ItemStyle: &opts.ItemStyle{Color: colorProvince}, Symbol: "none"},
			{RadarData: opts.RadarData{Name: regionName.pick(lang), Value: values},
				LineStyle: &opts.LineStyle{Color: colorCity, Width: 2}, ItemStyle: &opts.ItemStyle{Color: colorCity},
				AreaStyle: &opts.AreaStyle{Color: "rgba(8,81,156,0.18)"}},
		}}}},
	})
}

// wrapName breaks a radar spoke's name into short lines: ECharts 5.4
// ignores a width on radar names, and on a phone the long ones ran off the
// chart. Chinese in lines of at most 6 characters (12 half-width cells),
// English at spaces after 14 letters.
func wrapName(name, lang string) string {
	if lang == "en" {
		var lines []string
		line := ""
		for _, w := range strings.Fields(name) {
			if line != "" && len(line)+1+len(w) > 14 {
				lines, line = append(lines, line), w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		return strings.Join(append(lines, line), "\n")
	}
	// Widths in half-width cells: a Chinese character takes two, Latin one.
	width := func(r rune) int {
		if r < 0x2E80 {
			return 1
		}
		return 2
	}
	total := 0
	for _, r := range name {
		total += width(r)
	}
	// As many lines as 12 cells each need, filled evenly (rounded up to
	// whole Chinese characters): 高新技术企业数 → 高新技术 / 企业数.
	lines := (total + 11) / 12
	limit := (total + lines - 1) / lines
	limit += limit % 2
	var out []string
	line, w := []rune{}, 0
	for _, r := range name {
		if w+width(r) > limit {
			out, line, w = append(out, string(line)), nil, 0
		}
		line, w = append(line, r), w+width(r)
	}
	return strings.Join(append(out, string(line)), "\n")
}

// indexTrend draws a region's index against the province (= 100) for
// several indicators at every year's end.
func indexTrend(w *warehouse, region string, ins []*indicator, lang string) obj {
	var periods []innowatch.Period
	seen := map[innowatch.Period]bool{}
	lines := []echartsext.Series{}
	type pt struct {
		p innowatch.Period
		v float64
	}
	var all [][]pt
	for _, in := range ins {
		var pts []pt
		for _, p := range trendPeriods(w.series(region, in.Code)) {
			c := w.comparison(region, in.Code, p)
			if c == nil || !c.Index.Valid {
				continue
			}
			// Annual and monthly indicators share one axis by year.
			key := innowatch.Period{Year: p.Year}
			pts = append(pts, pt{key, c.Index.Float64})
			if !seen[key] {
				seen[key] = true
				periods = append(periods, key)
			}
		}
		all = append(all, pts)
	}
	sortPeriods(periods)
	var labels []string
	for _, p := range periods {
		labels = append(labels, strconv.Itoa(p.Year))
	}
	for i, in := range ins {
		vals := make([]any, len(periods))
		for j := range vals {
			vals[j] = "-"
		}
		for _, x := range all[i] {
			for j, p := range periods {
				if p == x.p {
					vals[j] = roundTo(x.v, 1)
				}
			}
		}
		lines = append(lines, lineSeries(in.Name.pick(lang), vals, lineColors[i%len(lineColors)], false))
	}
	if len(lines) > 0 {
		// Outside the plot, at the right: inside it the label sat on the
		// lines' latest points, which cluster around 100.
		lines[0].MarkLine = echartsext.DashedLine(opts.MarkLineNameYAxisItem{YAxis: 100},
			&opts.Label{Formatter: tr("chart.provinceIs100").pick(lang), Color: colorProvince, Position: "end"}, colorProvince, 0)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Top: px(0), Type: "plain"}),
		// Room for three rows of legend: five indicators wrap so on a phone.
		grid(8, 72, 86, 8),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: labels}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: tr("chart.indexAxis").pick(lang)}))
	return option(&line.BaseConfiguration, echartsext.Extra{Legend: true, Series: lines})
}

func sortPeriods(ps []innowatch.Period) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Before(ps[j-1]); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// targetBar is one target in the completion chart.
type targetBar struct {
	Name    bi
	Rate    float64
	HasRate bool
	Class   string // the status: met, ahead, on_pace, behind, not_met, on_track, off_track, missing
}

// targetBars shows each target's completion against the time elapsed
// (序时进度) as a dashed line; above the line is ahead. Every target has a
// bar (issue 14, item 10): one without a completion rate (above the
// province, missing) an empty one labelled with its state; unmet ones in
// the warning colour.
func targetBars(bars []targetBar, timePct float64, lang string) obj {
	var cats []string
	var data []opts.BarData
	top := 100.0
	for _, b := range bars {
		if b.HasRate {
			top = math.Max(top, math.Ceil(b.Rate/20)*20)
		}
	}
	for _, b := range bars {
		cats = append(cats, b.Name.pick(lang))
		color := colorAbove
		switch b.Class {
		case "behind", "not_met", "off_track":
			color = colorBelow
		case "missing":
			color = colorNeutral
		}
		if !b.HasRate {
			state := tr("target.stateMissing")
			switch b.Class {
			case "met", "on_track":
				state = tr("target.stateMet")
			case "behind", "not_met", "off_track":
				state = tr("target.stateNotMet")
			}
			data = append(data, opts.BarData{Value: 0, ItemStyle: &opts.ItemStyle{Color: color},
				Label: &opts.Label{Formatter: tf("target.chartNoRate", state).pick(lang), Color: color}})
			continue
		}
		data = append(data, opts.BarData{Value: roundTo(b.Rate, 1), ItemStyle: &opts.ItemStyle{Color: color},
			Label: &opts.Label{Formatter: formatNumber(b.Rate, 1) + "%"}})
	}
	series := echartsext.Series{SingleSeries: charts.SingleSeries{Type: "bar", Data: data, BarMaxWidth: px(18)}, Label: barLabel}
	if timePct > 0 {
		series.MarkLine = echartsext.DashedLine(opts.MarkLineNameXAxisItem{XAxis: roundTo(timePct, 1)},
			&opts.Label{Formatter: tf("chart.timeProgress", formatNumber(timePct, 1)).pick(lang), Color: colorProvince, Position: "start"},
			colorProvince, 1.5)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(grid(8, 48, 26, 8),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "%", Max: top}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), Data: cats,
			AxisLabel: &opts.AxisLabel{FontSize: 11, Width: 150, Overflow: "break"}}))
	return option(&bar.BaseConfiguration, echartsext.Extra{Series: []echartsext.Series{series}})
}

// graphNode is a box of the lineage graph at a fixed place.
type graphNode struct {
	Name     string
	X, Y     float64
	Model    bool
	Material string
}

// lineageChart draws tables and models left to right by dependency depth.
// Table and model names read the same in both languages.
func lineageChart(nodes []graphNode, links [][2]string) obj {
	var data []echartsext.GraphNode
	for _, n := range nodes {
		color, text := "#9ecae1", "#1a1a1a"
		if n.Model {
			color, text = colorCity, "#ffffff"
		}
		data = append(data, echartsext.GraphNode{
			GraphNode: opts.GraphNode{Name: n.Name, Symbol: "roundRect", SymbolSize: []int{150, 28}, ItemStyle: &opts.ItemStyle{Color: color}},
			X:         n.X, Y: n.Y,
			Label: &opts.Label{Show: opts.Bool(true), Color: text, FontSize: 11},
		})
	}
	var edges []opts.GraphLink
	for _, l := range links {
		edges = append(edges, opts.GraphLink{Source: l[0], Target: l[1]})
	}
	return option(&charts.NewGraph().BaseConfiguration, echartsext.Extra{Series: []echartsext.Series{{SingleSeries: charts.SingleSeries{
		Type: "graph", Layout: "none", Data: data, Links: edges, Roam: opts.Bool(false),
		EdgeSymbol: []string{"none", "arrow"}, EdgeSymbolSize: 8,
		LineStyle: &opts.LineStyle{Color: "#5f6b7a", Width: 1.2, Curveness: 0.08},
		Top:       px(20), Bottom: px(20), Left: px(80), Right: px(80),
	}}}})
}

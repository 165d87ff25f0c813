package dashboards

import (
	"math"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
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
	lines := []obj{}
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
	o := base()
	o["tooltip"] = obj{"trigger": "axis", "confine": true}
	o["legend"] = obj{"top": 0}
	o["grid"] = obj{"left": 8, "right": 16, "top": 34, "bottom": 8, "containLabel": true}
	o["xAxis"] = obj{"type": "category", "data": monthAxis(lang)}
	o["yAxis"] = obj{"type": "value", "name": unitName(in.Unit).pick(lang), "scale": true}
	o["series"] = lines
	return o
}

// monthBars shows single-month values (monthly_values) of a flow for the
// latest year and the one before, side by side.
func monthBars(w *warehouse, in *indicator, lang string) obj {
	year := in.latest.Year
	var bars []obj
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
		bars = append(bars, obj{"type": "bar", "name": tf("chart.year", y).pick(lang), "data": vals,
			"itemStyle": obj{"color": color}, "barMaxWidth": 14})
	}
	o := base()
	o["tooltip"] = obj{"trigger": "axis", "confine": true}
	o["legend"] = obj{"top": 0}
	o["grid"] = obj{"left": 8, "right": 16, "top": 34, "bottom": 8, "containLabel": true}
	o["xAxis"] = obj{"type": "category", "data": monthAxis(lang)}
	o["yAxis"] = obj{"type": "value", "name": unitName(in.Unit).pick(lang)}
	o["series"] = bars
	return o
}

// cityBar ranks the province's cities, coloured by tier, the focus city
// outlined, with the province's comparison value as a dashed line.
func cityBar(w *warehouse, in *indicator, rows []*cityRank, lang string) obj {
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
		color := tierColors[len(tierColors)-1]
		if r.Tier.Valid && r.Tier.Int64 >= 1 && int(r.Tier.Int64) <= len(tierColors) {
			color = tierColors[r.Tier.Int64-1]
		}
		style := obj{"color": color}
		if r.Focus.Valid && r.Focus.Bool {
			style = obj{"color": colorBelow}
		}
		names = append(names, name)
		data = append(data, obj{"name": name, "value": roundTo(r.Value.Float64, in.Decimals), "itemStyle": style,
			"label": obj{"formatter": formatNumber(r.Value.Float64, in.Decimals) + barUnit(in.Unit)}})
	}
	series := obj{"type": "bar", "name": in.Name.pick(lang), "data": data, "barMaxWidth": 18,
		"label": obj{"show": true, "position": "right", "fontSize": 11}}
	if province != nil {
		series["markLine"] = obj{
			"symbol": []string{"none", "none"}, "silent": true,
			"data":      []obj{{"xAxis": *province}},
			"label":     obj{"show": true, "position": "start", "formatter": provinceLabel(in, "city", *province).pick(lang), "color": colorProvince},
			"lineStyle": obj{"color": colorProvince, "type": "dashed", "width": 1.5},
		}
	}
	o := base()
	o["grid"] = obj{"left": 8, "right": 56, "top": 26, "bottom": 8, "containLabel": true}
	o["xAxis"] = obj{"type": "value", "name": unitName(in.Unit).pick(lang)}
	o["yAxis"] = obj{"type": "category", "inverse": true, "data": names, "axisLabel": obj{"fontSize": 11}}
	o["series"] = []obj{series}
	return o
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
	var ind []obj
	var values, hundred []float64
	for _, a := range axes {
		ind = append(ind, obj{"name": wrapName(a.Name.pick(lang), lang), "max": top, "min": 0})
		values = append(values, roundTo(a.Index, 1))
		hundred = append(hundred, 100)
	}
	o := base()
	o["legend"] = obj{"top": 0}
	o["radar"] = obj{"indicator": ind, "radius": "55%", "center": []string{"50%", "56%"},
		"axisName": obj{"color": "#1a1a1a", "fontSize": 11}, "splitNumber": 3}
	o["series"] = []obj{{
		"type": "radar",
		"data": []obj{
			{"name": tr("chart.provinceIs100").pick(lang), "value": hundred,
				"lineStyle": obj{"color": colorProvince, "type": "dashed"}, "itemStyle": obj{"color": colorProvince}, "symbol": "none"},
			{"name": regionName.pick(lang), "value": values,
				"lineStyle": obj{"color": colorCity, "width": 2}, "itemStyle": obj{"color": colorCity},
				"areaStyle": obj{"color": "rgba(8,81,156,0.18)"}},
		},
	}}
	return o
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
	lines := []obj{}
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
		lines[0]["markLine"] = obj{"symbol": []string{"none", "none"}, "silent": true,
			"data": []obj{{"yAxis": 100}},
			// Outside the plot, at the right: inside it the label sat on
			// the lines' latest points, which cluster around 100.
			"label":     obj{"formatter": tr("chart.provinceIs100").pick(lang), "color": colorProvince, "position": "end"},
			"lineStyle": obj{"color": colorProvince, "type": "dashed"}}
	}
	o := base()
	o["tooltip"] = obj{"trigger": "axis", "confine": true}
	o["legend"] = obj{"top": 0, "type": "plain"}
	// Room for three rows of legend: five indicators wrap so on a phone.
	o["grid"] = obj{"left": 8, "right": 72, "top": 86, "bottom": 8, "containLabel": true}
	o["xAxis"] = obj{"type": "category", "data": labels}
	o["yAxis"] = obj{"type": "value", "name": tr("chart.indexAxis").pick(lang)}
	o["series"] = lines
	return o
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
	var data []obj
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
			data = append(data, obj{"value": 0, "itemStyle": obj{"color": color},
				"label": obj{"formatter": tf("target.chartNoRate", state).pick(lang), "color": color}})
			continue
		}
		data = append(data, obj{"value": roundTo(b.Rate, 1), "itemStyle": obj{"color": color},
			"label": obj{"formatter": formatNumber(b.Rate, 1) + "%"}})
	}
	o := base()
	o["grid"] = obj{"left": 8, "right": 48, "top": 26, "bottom": 8, "containLabel": true}
	o["xAxis"] = obj{"type": "value", "name": "%", "max": top}
	o["yAxis"] = obj{"type": "category", "inverse": true, "data": cats, "axisLabel": obj{"fontSize": 11, "width": 150, "overflow": "break"}}
	series := obj{
		"type": "bar", "data": data, "barMaxWidth": 18,
		"label": obj{"show": true, "position": "right", "fontSize": 11},
	}
	if timePct > 0 {
		series["markLine"] = obj{"symbol": []string{"none", "none"}, "silent": true,
			"data":      []obj{{"xAxis": roundTo(timePct, 1)}},
			"label":     obj{"formatter": tf("chart.timeProgress", formatNumber(timePct, 1)).pick(lang), "color": colorProvince, "position": "start"},
			"lineStyle": obj{"color": colorProvince, "type": "dashed", "width": 1.5}}
	}
	o["series"] = []obj{series}
	return o
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
	var data []obj
	for _, n := range nodes {
		color := "#9ecae1"
		if n.Model {
			color = colorCity
		}
		data = append(data, obj{"name": n.Name, "x": n.X, "y": n.Y, "symbol": "roundRect",
			"symbolSize": []int{150, 28}, "itemStyle": obj{"color": color},
			"label": obj{"show": true, "color": map[bool]string{true: "#ffffff", false: "#1a1a1a"}[n.Model], "fontSize": 11}})
	}
	var edges []obj
	for _, l := range links {
		edges = append(edges, obj{"source": l[0], "target": l[1]})
	}
	o := base()
	o["series"] = []obj{{
		"type": "graph", "layout": "none", "data": data, "links": edges, "roam": false,
		"edgeSymbol": []string{"none", "arrow"}, "edgeSymbolSize": 8,
		"lineStyle": obj{"color": "#5f6b7a", "width": 1.2, "curveness": 0.08},
		"top":       20, "bottom": 20, "left": 80, "right": 80,
	}}
	return o
}

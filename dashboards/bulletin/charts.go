package bulletin

import (
	"sort"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/linyi-sti/innowatch/dashboards/internal/echartsext"
)

// Charts are built with go-echarts' option types, plus the few options
// they lack from dashboards/internal/echartsext, and serialized by our own
// template. IDs are fixed (not go-echarts' random ones) so the same data
// always gives the same bytes, and they name the DOM elements a browser
// test inspects.

// Chart is one figure of the bulletin.
type Chart struct {
	ID      string         `json:"id"`
	Caption string         `json:"-"`
	Note    string         `json:"-"`
	Height  int            `json:"-"` // millimetres, for print
	Option  map[string]any `json:"option"`
}

// Colours, as on the dashboard: at or above the province dark blue, below
// warm; the focus city red among the province's cities.
const (
	colorAbove    = "#2171b5"
	colorBelow    = "#e6813c"
	colorFocus    = "#b2182b"
	colorOther    = "#9ecae1"
	colorMissing  = "#969696"
	colorLastYear = "#bdbdbd"
	colorLine     = "#b2182b"
)

// Charts builds the bulletin's figures: the counties on the lead
// indicator, the province's cities on it, single-month values of a flow this
// year against last year, and target completion against 序时进度. A figure
// without data is left out rather than drawn empty.
func Charts(d *Data) []Chart {
	var out []Chart
	if lead := d.Lead(); lead != nil && len(lead.Counties) > 0 {
		out = append(out, countyChart(lead))
	}
	if lead := d.Lead(); lead != nil && len(d.Cities) > 0 {
		out = append(out, cityChart(lead, d.Cities))
	}
	if d.MonthlyIndicator != nil && hasValue(d.Monthly[0]) {
		out = append(out, monthlyChart(d))
	}
	if c, ok := targetChart(d); ok {
		out = append(out, c)
	}
	for i := range out {
		out[i].Caption = "图" + strconv.Itoa(i+1) + "　" + out[i].Caption
	}
	return out
}

func hasValue(ps []MonthPoint) bool {
	for _, p := range ps {
		if p.Value.Valid {
			return true
		}
	}
	return false
}

// option is a chart's option object with what every figure shares: no
// animation, a plain font, an item tooltip unless the chart set one.
func option(bc *charts.BaseConfiguration, x echartsext.Extra) map[string]any {
	bc.Animation = opts.Bool(false)
	if bc.Tooltip.Trigger == "" {
		bc.Tooltip.Trigger = "item"
	}
	x.TextStyle = &opts.TextStyle{FontFamily: "sans-serif"}
	return echartsext.Option(bc, x)
}

func markLine(name string, v float64, label string, horizontal bool) *echartsext.MarkLine {
	// A vertical line (horizontal bars, the category axis inverted) is
	// labelled at its start, above the plot: at its end the label would sit
	// on the value axis's numbers. A horizontal line is labelled inside the
	// plot, so the label is not cut at the right edge.
	var point any = opts.MarkLineNameXAxisItem{Name: name, XAxis: v}
	position := "start"
	if !horizontal {
		point, position = opts.MarkLineNameYAxisItem{Name: name, YAxis: v}, "insideEndTop"
	}
	return echartsext.DashedLine(point, &opts.Label{Show: opts.Bool(true), Formatter: label, Color: colorLine, Position: position},
		colorLine, 1.5)
}

// rankedBars is a figure of horizontal bars, the first at the top, each
// labelled with its value at its end.
func rankedBars(name, unit string, names []string, data []opts.BarData, barWidth string, right int, line *echartsext.MarkLine,
	valueLabel *opts.AxisLabel, nameLabel *opts.AxisLabel) map[string]any {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithGridOpts(opts.Grid{Left: "8", Right: strconv.Itoa(right), Top: "30", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: unit, AxisLabel: valueLabel}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), Data: names, AxisLabel: nameLabel}))
	return option(&bar.BaseConfiguration, echartsext.Extra{Series: []echartsext.Series{{
		SingleSeries: charts.SingleSeries{Type: "bar", Name: name, Data: data, BarMaxWidth: barWidth},
		Label:        &echartsext.Label{Label: opts.Label{Show: opts.Bool(true), Position: "right", FontSize: 10}},
		MarkLine:     line,
	}}})
}

// valueBar is a bar in its colour labelled with its value.
func valueBar(name string, v float64, decimals int, color string) opts.BarData {
	return opts.BarData{Name: name, Value: rounded(v, decimals), ItemStyle: &opts.ItemStyle{Color: color},
		Label: &opts.Label{Formatter: fixed(v, decimals)}}
}

// countyChart ranks the counties and zones, best at the top, with the
// provincial value as a dashed line; a missing region keeps its row, empty.
func countyChart(s *Section) Chart {
	rows := append([]Row(nil), s.Counties...)
	sortByRank(rows)
	var names []string
	var data []opts.BarData
	var province *float64
	for _, r := range rows {
		if r.Province.Valid && province == nil {
			v := rounded(r.Province.Float64, r.Decimals)
			province = &v
		}
	}
	for _, r := range rows {
		if !r.Value.Valid {
			names = append(names, r.Name+" —")
			data = append(data, opts.BarData{Name: r.Name})
			continue
		}
		color := colorAbove
		if province != nil && rounded(r.Value.Float64, r.Decimals) < *province {
			color = colorBelow
		}
		names = append(names, r.Name)
		data = append(data, valueBar(r.Name, r.Value.Float64, r.Decimals, color))
	}
	return Chart{ID: "chart_counties", Height: 95, Option: provinceBars(s, "county", province, names, data, "16"),
		Caption: "各县区和开发区" + s.Indicator.Name + "（" + periodLabel(s.Period) + "）",
		Note:    "虚线为" + provinceRef(s.Indicator.Basis, "county") + "；深色不低于全省，浅橙色低于全省；“—”为数据暂缺。"}
}

// provinceBars ranks regions on the section's indicator with the province's
// value (at level's basis) as a dashed line.
func provinceBars(s *Section, level string, province *float64, names []string, data []opts.BarData, barWidth string) map[string]any {
	ref := provinceRef(s.Indicator.Basis, level)
	var line *echartsext.MarkLine
	if province != nil {
		line = markLine(ref, *province, ref+" "+fixed(*province, s.Indicator.Decimals), true)
	}
	return rankedBars(s.Indicator.Name, s.Indicator.Unit, names, data, barWidth, 56, line,
		&opts.AxisLabel{HideOverlap: opts.Bool(true)}, &opts.AxisLabel{FontSize: 10})
}

// cityChart ranks the province's cities with the focus city highlighted.
func cityChart(s *Section, cities []Row) Chart {
	var names []string
	var data []opts.BarData
	var province *float64
	for _, r := range cities {
		if !r.Value.Valid {
			continue
		}
		if r.Province.Valid && province == nil {
			v := rounded(r.Province.Float64, r.Decimals)
			province = &v
		}
		color := colorOther
		if r.IsFocus {
			color = colorFocus
		}
		names = append(names, r.Name)
		data = append(data, valueBar(r.Name, r.Value.Float64, r.Decimals, color))
	}
	// Horizontal bars, ranked top-down (issue 14, item 13): sixteen city
	// names rotated under vertical bars crowded each other on a phone and
	// could not be read (nor extracted from the PDF).
	return Chart{ID: "chart_cities", Height: 105, Option: provinceBars(s, "city", province, names, data, "14"),
		Caption: "全省各市" + s.Indicator.Name + "（" + periodLabel(s.Period) + "）",
		Note:    "红色为本市；虚线为" + provinceRef(s.Indicator.Basis, "city") + "。"}
}

// monthlyChart compares single-month values of a flow with last year.
func monthlyChart(d *Data) Chart {
	in := d.MonthlyIndicator
	var months []string
	// Month numbers with the axis named 月: "10月11月12月" ran together
	// on a phone (issue 14, item 13).
	for m := 1; m <= d.Month.Month; m++ {
		months = append(months, strconv.Itoa(m))
	}
	series := []echartsext.Series{}
	for i, year := range []int{d.Month.Year, d.Month.Year - 1} {
		var data []any
		for _, p := range d.Monthly[i] {
			if p.Value.Valid {
				data = append(data, rounded(p.Value.Float64, in.Decimals))
			} else {
				data = append(data, nil)
			}
		}
		color := colorAbove
		if i == 1 {
			color = colorLastYear
		}
		series = append(series, echartsext.Series{SingleSeries: charts.SingleSeries{Type: "bar", Name: strconv.Itoa(year) + "年",
			Data: data, ItemStyle: &opts.ItemStyle{Color: color}, BarMaxWidth: "14"}})
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}), charts.WithLegendOpts(opts.Legend{Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "32", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: months, Name: "月", NameGap: 4,
			AxisLabel: &opts.AxisLabel{Interval: "0", FontSize: 10}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: in.Unit, AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true)}}))
	o := option(&bar.BaseConfiguration, echartsext.Extra{Legend: true, Series: series})
	return Chart{ID: "chart_monthly", Height: 70, Option: o,
		Caption: "全市" + in.Name + "当月值（" + strconv.Itoa(d.Month.Year) + "年与上年同期）",
		Note:    "当月值 = 1-N月累计 − 1-(N-1)月累计（1月为当月累计）；空缺为数据暂缺。"}
}

// targetChart draws each target's completion against 序时进度.
func targetChart(d *Data) (Chart, bool) {
	var names []string
	var data []opts.BarData
	var progress float64
	seen := false
	for _, t := range d.Targets {
		// Every target appears (issue 14, item 10): one without a
		// completion rate (above the province, missing, not yet judged)
		// gets an empty bar labelled with its state, and an unmet one the
		// warning colour.
		names = append(names, t.Description)
		color := colorAbove
		switch t.Status {
		case StatusBehind, StatusNotMet, StatusOffTrack:
			color = colorBelow
		case StatusMissing, "":
			color = colorMissing
		}
		label := targetState(t)
		v := 0.0
		if t.Completion.Valid {
			v = rounded(t.Completion.Float64, progressDecimals)
			label = fixed(t.Completion.Float64, progressDecimals) + "%"
		}
		data = append(data, opts.BarData{Value: v, ItemStyle: &opts.ItemStyle{Color: color},
			Label: &opts.Label{Formatter: label, Color: color}})
		if t.TimeProgress.Valid {
			progress, seen = rounded(t.TimeProgress.Float64, progressDecimals), true
		}
	}
	if len(data) == 0 {
		return Chart{}, false
	}
	var line *echartsext.MarkLine
	if seen {
		line = markLine("序时进度", progress, "序时进度 "+fixed(progress, progressDecimals)+"%", true)
	}
	// Every bar carries its percentage: the axis numbers add nothing and
	// crowded on a phone.
	o := rankedBars("完成目标", "%", names, data, "14", 64, line,
		&opts.AxisLabel{Show: opts.Bool(false)}, &opts.AxisLabel{FontSize: 9, Width: 190, Overflow: "break"})
	return Chart{ID: "chart_targets", Height: 90, Option: o,
		Caption: "目标任务完成情况（截至" + strconv.Itoa(d.Month.Month) + "月）",
		Note: "完成目标的百分比；虚线为序时进度（" + strconv.Itoa(d.Month.Month) + "/12）；橙色为慢于序时进度或未达标，" +
			"灰色为数据暂缺或待年度数据评价；高于全省的目标无完成率，只标明是否达到。"}, true
}

// targetState is a target without a completion rate, in a chart label.
func targetState(t Target) string {
	switch t.Status {
	case StatusMet:
		return "已达到"
	case StatusNotMet, StatusBehind, StatusOffTrack:
		return "未达到"
	case "":
		if t.Annual {
			return "待年度数据"
		}
	}
	return "数据暂缺"
}

// sortByRank orders by rank, unranked values after, missing last; ties by code.
func sortByRank(rs []Row) {
	less := func(a, b Row) bool {
		if a.Value.Valid != b.Value.Valid {
			return a.Value.Valid
		}
		if a.Rank.Valid != b.Rank.Valid {
			return a.Rank.Valid
		}
		if a.Rank.Valid && a.Rank.Int64 != b.Rank.Int64 {
			return a.Rank.Int64 < b.Rank.Int64
		}
		return a.Code < b.Code
	}
	sort.SliceStable(rs, func(i, j int) bool { return less(rs[i], rs[j]) })
}

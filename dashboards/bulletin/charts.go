package bulletin

import (
	"sort"
	"strconv"
)

// Charts are ECharts options written as plain maps: encoding/json sorts map
// keys, so the same data always gives the same bytes. IDs are fixed for the
// same reason (and name the DOM elements a browser test inspects).

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

func baseOption() map[string]any {
	return map[string]any{
		"animation": false,
		"textStyle": map[string]any{"fontFamily": "sans-serif"},
		"tooltip":   map[string]any{"trigger": "item"},
	}
}

func markLine(name string, v float64, label string, horizontal bool) map[string]any {
	point := map[string]any{"name": name}
	// A vertical line (horizontal bars, the category axis inverted) is
	// labelled at its start, above the plot: at its end the label would sit
	// on the value axis's numbers. A horizontal line is labelled inside the
	// plot, so the label is not cut at the right edge.
	position := "start"
	if horizontal {
		point["xAxis"] = v
	} else {
		point["yAxis"] = v
		position = "insideEndTop"
	}
	return map[string]any{
		"silent":    true,
		"symbol":    []string{"none", "none"},
		"label":     map[string]any{"show": true, "formatter": label, "color": colorLine, "position": position},
		"lineStyle": map[string]any{"color": colorLine, "type": "dashed", "width": 1.5},
		"data":      []any{point},
	}
}

// countyChart ranks the counties and zones, best at the top, with the
// provincial value as a dashed line; a missing region keeps its row, empty.
func countyChart(s *Section) Chart {
	rows := append([]Row(nil), s.Counties...)
	sortByRank(rows)
	var names []string
	var data []any
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
			data = append(data, map[string]any{"name": r.Name, "value": nil})
			continue
		}
		v := rounded(r.Value.Float64, r.Decimals)
		color := colorAbove
		if province != nil && v < *province {
			color = colorBelow
		}
		names = append(names, r.Name)
		data = append(data, map[string]any{"name": r.Name, "value": v, "itemStyle": map[string]any{"color": color},
			"label": map[string]any{"formatter": fixed(r.Value.Float64, r.Decimals)}})
	}
	series := map[string]any{
		"type": "bar", "name": s.Indicator.Name, "data": data, "barMaxWidth": 16,
		"label": map[string]any{"show": true, "position": "right", "fontSize": 10},
	}
	ref := provinceRef(s.Indicator.Basis, "county")
	if province != nil {
		series["markLine"] = markLine(ref, *province, ref+" "+fixed(*province, s.Indicator.Decimals), true)
	}
	o := baseOption()
	o["grid"] = map[string]any{"left": 8, "right": 56, "top": 30, "bottom": 8, "containLabel": true}
	o["xAxis"] = map[string]any{"type": "value", "name": s.Indicator.Unit, "axisLabel": map[string]any{"hideOverlap": true}}
	o["yAxis"] = map[string]any{"type": "category", "inverse": true, "data": names, "axisLabel": map[string]any{"fontSize": 10}}
	o["series"] = []any{series}
	return Chart{ID: "chart_counties", Height: 95, Option: o,
		Caption: "各县区和开发区" + s.Indicator.Name + "（" + periodLabel(s.Period) + "）",
		Note:    "虚线为" + ref + "；深色不低于全省，浅橙色低于全省；“—”为数据暂缺。"}
}

// cityChart ranks the province's cities with the focus city highlighted.
func cityChart(s *Section, cities []Row) Chart {
	var names []string
	var data []any
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
		data = append(data, map[string]any{"name": r.Name, "value": rounded(r.Value.Float64, r.Decimals),
			"itemStyle": map[string]any{"color": color},
			"label":     map[string]any{"formatter": fixed(r.Value.Float64, r.Decimals)}})
	}
	// Horizontal bars, ranked top-down (issue 14, item 13): sixteen city
	// names rotated under vertical bars crowded each other on a phone and
	// could not be read (nor extracted from the PDF).
	series := map[string]any{"type": "bar", "name": s.Indicator.Name, "data": data, "barMaxWidth": 14,
		"label": map[string]any{"show": true, "position": "right", "fontSize": 10}}
	ref := provinceRef(s.Indicator.Basis, "city")
	if province != nil {
		series["markLine"] = markLine(ref, *province, ref+" "+fixed(*province, s.Indicator.Decimals), true)
	}
	o := baseOption()
	o["grid"] = map[string]any{"left": 8, "right": 56, "top": 30, "bottom": 8, "containLabel": true}
	o["xAxis"] = map[string]any{"type": "value", "name": s.Indicator.Unit, "axisLabel": map[string]any{"hideOverlap": true}}
	o["yAxis"] = map[string]any{"type": "category", "inverse": true, "data": names, "axisLabel": map[string]any{"fontSize": 10}}
	o["series"] = []any{series}
	return Chart{ID: "chart_cities", Height: 105, Option: o,
		Caption: "全省各市" + s.Indicator.Name + "（" + periodLabel(s.Period) + "）",
		Note:    "红色为本市；虚线为" + ref + "。"}
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
	series := []any{}
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
		series = append(series, map[string]any{"type": "bar", "name": strconv.Itoa(year) + "年", "data": data,
			"itemStyle": map[string]any{"color": color}, "barMaxWidth": 14})
	}
	o := baseOption()
	o["tooltip"] = map[string]any{"trigger": "axis"}
	o["legend"] = map[string]any{"top": 0}
	o["grid"] = map[string]any{"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": true}
	o["xAxis"] = map[string]any{"type": "category", "data": months, "name": "月",
		"nameGap": 4, "axisLabel": map[string]any{"interval": 0, "fontSize": 10}}
	o["yAxis"] = map[string]any{"type": "value", "name": in.Unit, "axisLabel": map[string]any{"hideOverlap": true}}
	o["series"] = series
	return Chart{ID: "chart_monthly", Height: 70, Option: o,
		Caption: "全市" + in.Name + "当月值（" + strconv.Itoa(d.Month.Year) + "年与上年同期）",
		Note:    "当月值 = 1-N月累计 − 1-(N-1)月累计（1月为当月累计）；空缺为数据暂缺。"}
}

// targetChart draws each target's completion against 序时进度.
func targetChart(d *Data) (Chart, bool) {
	var names []string
	var data []any
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
		data = append(data, map[string]any{"value": v, "itemStyle": map[string]any{"color": color},
			"label": map[string]any{"formatter": label, "color": color}})
		if t.TimeProgress.Valid {
			progress, seen = rounded(t.TimeProgress.Float64, progressDecimals), true
		}
	}
	if len(data) == 0 {
		return Chart{}, false
	}
	series := map[string]any{"type": "bar", "name": "完成目标", "data": data, "barMaxWidth": 14,
		"label": map[string]any{"show": true, "position": "right", "fontSize": 10}}
	if seen {
		series["markLine"] = markLine("序时进度", progress, "序时进度 "+fixed(progress, progressDecimals)+"%", true)
	}
	o := baseOption()
	o["grid"] = map[string]any{"left": 8, "right": 64, "top": 30, "bottom": 8, "containLabel": true}
	// Every bar carries its percentage: the axis numbers add nothing and
	// crowded on a phone.
	o["xAxis"] = map[string]any{"type": "value", "name": "%", "axisLabel": map[string]any{"show": false}}
	o["yAxis"] = map[string]any{"type": "category", "inverse": true, "data": names,
		"axisLabel": map[string]any{"fontSize": 9, "width": 190, "overflow": "break"}}
	o["series"] = []any{series}
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

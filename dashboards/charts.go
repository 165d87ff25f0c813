package dashboards

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/components"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Fixed chart IDs keep the output deterministic (go-echarts would draw
// random ones) and name the DOM elements the browser test inspects.
const (
	mapChartID = "chart_map"
	barChartID = "chart_bar"
)

// linyiMap is the map registered by shan1_dong1_lin2_yi2.js, and
// linyiCounties its features by GB/T 2260 code. Regions are matched to
// polygons by code, never by the spelling of their name.
const linyiMap = "临沂"

var linyiCounties = map[string]string{
	"371302": "兰山区", "371311": "罗庄区", "371312": "河东区", "371321": "沂南县",
	"371322": "郯城县", "371323": "沂水县", "371324": "兰陵县", "371325": "费县",
	"371326": "平邑县", "371327": "莒南县", "371328": "蒙阴县", "371329": "临沭县",
}

// Colours: a sequential blue ramp for the map; bars at or above the
// province in the dark end of it, below in a warm tone.
var (
	mapRamp      = []string{"#e3eef9", "#9ecae1", "#4292c6", "#08519c"}
	colorAbove   = "#2171b5"
	colorBelow   = "#e6813c"
	colorMissing = "#d9d9d9"
)

// chartSpec is one chart as the page's script reads it.
type chartSpec struct {
	ID     string         `json:"id"`
	Option map[string]any `json:"option"`
}

// buildCharts turns the page data into the map and the bar chart, and
// lists the scripts the page must load for them, all under assetsHost.
func buildCharts(d *indexData) ([]chartSpec, []string, error) {
	m, err := countyMap(d)
	if err != nil {
		return nil, nil, err
	}
	b := rankBar(d)

	// The page's assets host is separate from the charts' and is the one
	// that decides the script URLs: set both.
	page := components.NewPage()
	page.SetAssetsHost(assetsHost)
	page.AddCharts(m, b)
	page.Validate()
	scripts := append([]string(nil), page.JSAssets.Values...)
	for _, s := range scripts {
		if !strings.HasPrefix(s, assetsHost) {
			return nil, nil, fmt.Errorf("chart script %q is not under %s: the site must work offline", s, assetsHost)
		}
	}
	if len(page.CSSAssets.Values) > 0 {
		return nil, nil, fmt.Errorf("charts want stylesheets %v: not vendored", page.CSSAssets.Values)
	}

	specs := []chartSpec{{ID: mapChartID}, {ID: barChartID}}
	for i, c := range []interface{ JSON() map[string]any }{m, b} {
		// Round-trip through JSON so the options are plain maps: what the
		// template marshals is exactly what ECharts receives.
		raw, err := json.Marshal(c.JSON())
		if err != nil {
			return nil, nil, fmt.Errorf("marshal chart %s: %w", specs[i].ID, err)
		}
		if err := json.Unmarshal(raw, &specs[i].Option); err != nil {
			return nil, nil, fmt.Errorf("unmarshal chart %s: %w", specs[i].ID, err)
		}
	}
	// go-echarts has no field for showLegendSymbol; without it ECharts
	// puts a dot on every county, as if it were a point on the map.
	for _, s := range specs[0].Option["series"].([]any) {
		s.(map[string]any)["showLegendSymbol"] = false
	}
	return specs, scripts, nil
}

func initOpts(id, height string) opts.Initialization {
	return opts.Initialization{ChartID: id, AssetsHost: assetsHost, Width: "100%", Height: height, Theme: "white"}
}

// countyMap colours the 12 counties by value. Zones have no polygon; they
// are in the bars and the table. A county without a value keeps its
// polygon, in grey, with no value: missing is not zero.
func countyMap(d *indexData) (*charts.Map, error) {
	values := map[string]region{}
	for _, r := range d.regions {
		if r.Level != "county" {
			continue
		}
		if _, ok := linyiCounties[r.Code]; !ok {
			return nil, fmt.Errorf("county %s %q is not one of the 12 counties of the Linyi map", r.Code, r.Name)
		}
		values[r.Code] = r
	}
	codes := make([]string, 0, len(linyiCounties))
	for c := range linyiCounties {
		codes = append(codes, c)
	}
	sort.Strings(codes)

	var data []opts.MapData
	lo, hi, seen := 0.0, 0.0, false
	for _, code := range codes {
		item := opts.MapData{Name: linyiCounties[code]}
		if r, ok := values[code]; ok && r.Value.Valid {
			v := roundTo(r.Value.Float64, d.Decimals)
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

	m := charts.NewMap()
	m.RegisterMapType(linyiMap)
	m.SetGlobalOptions(
		charts.WithInitializationOpts(initOpts(mapChartID, "420px")),
		charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Type:       "continuous",
			Calculable: opts.Bool(false),
			Min:        float32(lo),
			Max:        float32(hi),
			Text:       []string{"高", "低"},
			InRange:    &opts.VisualMapInRange{Color: mapRamp},
			Orient:     "horizontal",
			Left:       "center",
			Bottom:     "0",
		}),
	)
	m.AddSeries(d.Indicator+"（"+d.Unit+"）", data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: 11, Color: "#1a1a1a"}),
		// The three small urban districts meet in the middle: drop a
		// colliding name rather than print names over each other (the
		// tooltip and the table still name every county).
		charts.WithLabelLayoutOpts(opts.LabelLayout{HideOverlap: opts.Bool(true)}),
		charts.WithItemStyleOpts(opts.ItemStyle{AreaColor: colorMissing, BorderColor: "#ffffff", BorderWidth: 1}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Top, s.Bottom, s.Left, s.Right = "4", "44", "4", "4"
		}),
	)
	return m, nil
}

// rankBar ranks the counties and zones, best at the top, with the province
// as a vertical line. Regions without a value keep their row, empty.
func rankBar(d *indexData) *charts.Bar {
	var names []string
	var data []opts.BarData
	for _, r := range d.regions {
		if !r.Value.Valid {
			// No bar and no zero: a dash after the name, the reason in the table.
			names = append(names, r.Name+" —")
			data = append(data, opts.BarData{Name: r.Name})
			continue
		}
		v := roundTo(r.Value.Float64, d.Decimals)
		color := colorAbove
		if d.province.Valid && v < roundTo(d.province.Float64, d.Decimals) {
			color = colorBelow
		}
		names = append(names, r.Name)
		data = append(data, opts.BarData{
			Name:      r.Name,
			Value:     v,
			ItemStyle: &opts.ItemStyle{Color: color},
			// A literal formatter: the label reads as the table does,
			// with the declared decimals and thousands separators.
			Label: &opts.Label{Formatter: formatNumber(r.Value.Float64, d.Decimals) + barUnit(d.Unit)},
		})
	}

	b := charts.NewBar()
	b.SetGlobalOptions(
		charts.WithInitializationOpts(initOpts(barChartID, "460px")),
		charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "48", Top: "28", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
	)
	b.SetXAxis(names).XYReversal()
	series := []charts.SeriesOpts{
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", FontSize: 11}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "22" }),
	}
	if d.province.Valid {
		series = append(series,
			charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: "全省", XAxis: roundTo(d.province.Float64, d.Decimals)}),
			charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
				Symbol:    []string{"none", "none"},
				Label:     &opts.Label{Show: opts.Bool(true), Position: "start", Formatter: "全省 " + d.Province, Color: "#b2182b"},
				LineStyle: &opts.LineStyle{Color: "#b2182b", Type: "dashed", Width: 1.5},
			}),
		)
	}
	b.AddSeries(d.Indicator, data, series...)
	return b
}

// barUnit is the unit written after a bar's value: only a percent sign,
// other units are in the axis and the table header.
func barUnit(unit string) string {
	if unit == "%" {
		return "%"
	}
	return ""
}

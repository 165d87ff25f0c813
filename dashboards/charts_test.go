package dashboards

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A county without a value keeps its polygon with no value (grey, never
// zero), and its bar row stays empty.
func TestChartsMissingCounty(t *testing.T) {
	rows := linyi2020()
	for i := range rows {
		if rows[i].Code == "371328" && rows[i].Period == "2020" { // 蒙阴县
			rows[i].Value, rows[i].Rank, rows[i].Reason = nil, nil, "未报送"
		}
	}
	db := newFixtureDB(t, rows, false)
	d, err := loadIndex(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	specs, scripts, err := buildCharts(d)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"assets/echarts.min.js", "assets/maps/shan1_dong1_lin2_yi2.js"}; !cmp.Equal(scripts, want) {
		t.Errorf("scripts = %v, want %v", scripts, want)
	}
	data := specs[0].Option["series"].([]any)[0].(map[string]any)["data"].([]any)
	if len(data) != 12 {
		t.Fatalf("map has %d counties, want 12", len(data))
	}
	for _, item := range data {
		m := item.(map[string]any)
		_, hasValue := m["value"]
		if m["name"] == "蒙阴县" && hasValue {
			t.Errorf("蒙阴县 is missing but the map gives it %v", m["value"])
		}
		if m["name"] != "蒙阴县" && !hasValue {
			t.Errorf("%v has no value on the map", m["name"])
		}
	}
	bars := specs[1].Option["series"].([]any)[0].(map[string]any)["data"].([]any)
	for _, item := range bars {
		m := item.(map[string]any)
		if m["name"] == "蒙阴县" {
			if _, ok := m["value"]; ok {
				t.Errorf("蒙阴县 is missing but has a bar of %v", m["value"])
			}
		}
	}
}

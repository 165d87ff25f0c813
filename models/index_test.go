package models_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// indexMethod replaces the shipped parameters with a two-component method
// small enough to work out by hand: the parameters are data.
func indexMethod(t *testing.T, db *duckdb.DB, firstYear int) {
	t.Helper()
	_, err := db.SQL().ExecContext(context.Background(), `DELETE FROM index_parameters;
		INSERT INTO index_parameters VALUES
		('rd_intensity', 2, 'none', NULL, NULL, 'R&D经费投入强度', NULL),
		('hitech_enterprises', 1, 'sqrt', 'gdp', 100, '每百亿元GDP高新技术企业数（开平方）', NULL);
		UPDATE index_settings SET first_year = ?, last_year = NULL, min_weight_share = 0.5`, firstYear)
	if err != nil {
		t.Fatal(err)
	}
}

// Worked out by hand from testdata/index/facts.csv.
//
// rd_intensity (weight 2, no transform): 山东 2019 80/4000 = 2.0, 2020 110/5000 = 2.2;
// 临沂 30/2000 = 1.5, 40/2000 = 2.0; 兰山 1.0, 3.0; 罗庄 2.5, 2.0; 河东 1/200 = 0.5, missing.
// Window 2019–2020 over all units: min 0.5, max 3.0 → normalised = (x − 0.5) / 2.5.
//
// hitech_enterprises per 100 亿元 GDP (weight 1, square root): 山东 160/4000×100 = 4,
// 450/5000×100 = 9; 临沂 20/2000×100 = 1, 80/2000×100 = 4; 兰山 0, 16; 罗庄 9, 25;
// 河东 missing, 2/200×100 = 1. Square roots: 2, 3; 1, 2; 0, 4; 3, 5; –, 1.
// min 0, max 5 → normalised = √x / 5.
func TestInnovationIndexComponents(t *testing.T) {
	db := warehouse(t, "index")
	indexMethod(t, db, 2019)
	build(t, db)
	got := rows(t, db, `SELECT region_code, year, indicator, raw_value, intensity_value, transformed, window_min, window_max, normalised, weight
		FROM innovation_index_components WHERE region_code IN ('370000', '371302', '371312') ORDER BY region_code, year, indicator`)
	want := [][]any{
		{"370000", 2019, "hitech_enterprises", 160.0, 4.0, 2.0, 0.0, 5.0, 0.4, 1.0},
		{"370000", 2019, "rd_intensity", 2.0, 2.0, 2.0, 0.5, 3.0, 0.6, 2.0},
		{"370000", 2020, "hitech_enterprises", 450.0, 9.0, 3.0, 0.0, 5.0, 0.6, 1.0},
		{"370000", 2020, "rd_intensity", 2.2, 2.2, 2.2, 0.5, 3.0, 0.68, 2.0},
		{"371302", 2019, "hitech_enterprises", 0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 1.0},
		{"371302", 2019, "rd_intensity", 1.0, 1.0, 1.0, 0.5, 3.0, 0.2, 2.0},
		{"371302", 2020, "hitech_enterprises", 16.0, 16.0, 4.0, 0.0, 5.0, 0.8, 1.0},
		{"371302", 2020, "rd_intensity", 3.0, 3.0, 3.0, 0.5, 3.0, 1.0, 2.0},
		{"371312", 2019, "hitech_enterprises", nil, nil, nil, 0.0, 5.0, nil, 1.0},
		{"371312", 2019, "rd_intensity", 0.5, 0.5, 0.5, 0.5, 3.0, 0.0, 2.0},
		{"371312", 2020, "hitech_enterprises", 2.0, 1.0, 1.0, 0.0, 5.0, 0.2, 1.0},
		{"371312", 2020, "rd_intensity", nil, nil, nil, 0.5, 3.0, nil, 2.0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("components (-want +got):\n%s", diff)
	}
}

func TestInnovationIndex(t *testing.T) {
	db := warehouse(t, "index")
	indexMethod(t, db, 2019)
	build(t, db)
	got := rows(t, db, `SELECT region_code, year, score, index_vs_province, performance_group, components, rank, peer_count, missing_reason
		FROM innovation_index ORDER BY year, region_code`)
	// score = (2 × rd + 1 × hitech) / (weights with data) × 100.
	// 2019: 山东 (2×0.6 + 0.4)/3 = 53.333; 临沂 (0.8 + 0.2)/3 = 33.333; 兰山 (0.4 + 0)/3 = 13.333;
	//       罗庄 (1.6 + 0.6)/3 = 73.333; 河东 rd only (2/3 of the weight ≥ 0.5): 2×0/2 = 0.
	// 2020: 山东 (1.36 + 0.6)/3 = 65.333; 临沂 (1.2 + 0.4)/3 = 53.333; 兰山 (2 + 0.8)/3 = 93.333;
	//       罗庄 (1.2 + 1)/3 = 73.333; 河东 hitech only: 1/3 of the weight < 0.5 → no score.
	// index = score / 山东's × 100; groups: ≥125 leader, ≥100 strong, ≥70 moderate, else emerging.
	// Ranks among the counties (and zones) only.
	want := [][]any{
		{"370000", 2019, r6(160.0 / 3), 100.0, "strong", 2, nil, 3, nil},
		{"371300", 2019, r6(100.0 / 3), 62.5, "emerging", 2, nil, 3, nil},
		{"371302", 2019, r6(40.0 / 3), 25.0, "emerging", 2, 2, 3, nil},
		{"371311", 2019, r6(220.0 / 3), 137.5, "leader", 2, 1, 3, nil},
		{"371312", 2019, 0.0, 0.0, "emerging", 1, 3, 3, nil},
		{"370000", 2020, r6(196.0 / 3), 100.0, "strong", 2, nil, 2, nil},
		{"371300", 2020, r6(160.0 / 3), r6(160.0 / 196 * 100), "moderate", 2, nil, 2, nil}, // 81.63
		{"371302", 2020, r6(280.0 / 3), r6(280.0 / 196 * 100), "leader", 2, 1, 2, nil},     // 142.86
		{"371311", 2020, r6(220.0 / 3), r6(220.0 / 196 * 100), "strong", 2, 2, 2, nil},     // 112.24
		{"371312", 2020, nil, nil, nil, 1, nil, 2, "有数据的权重占比33%，低于要求的50%"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("innovation_index (-want +got):\n%s", diff)
	}
}

// The window is a parameter: over 2020 alone rd_intensity spans 2.0 (临沂,
// 罗庄) to 3.0 (兰山), so 罗庄 normalises to 0 and 山东's 2.2 to 0.2.
func TestInnovationIndexWindow(t *testing.T) {
	db := warehouse(t, "index")
	indexMethod(t, db, 2020)
	build(t, db)
	got := rows(t, db, `SELECT region_code, year, window_min, window_max, normalised FROM innovation_index_components
		WHERE indicator = 'rd_intensity' AND region_code IN ('370000', '371311') ORDER BY region_code`)
	want := [][]any{{"370000", 2020, 2.0, 3.0, 0.2}, {"371311", 2020, 2.0, 3.0, 0.0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("window 2020 (-want +got):\n%s", diff)
	}
}

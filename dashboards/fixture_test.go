package dashboards

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
)

// The fixture is a warehouse made by the real migrations (catalog, regions,
// focus, unit counts, English names, tier cut-offs and index parameters as
// shipped) and the real models built on no data, into whose marts it
// inserts hand-made rows: every column is the real one. The views stay the
// models' own (facts_latest over facts, monthly_values over
// indicator_values). Figures are made up; the provincial 2.30% R&D
// intensity is the published one.

// cvp is one row of county_vs_province. A nil Value is missing; gap, index
// and above_province are derived on insert as the model does.
type cvp struct {
	Code, Name, Level, Period, Indicator string
	Value, Province                      *float64
	Rank, Peers                          *int
	Reason                               string
	// Changes (models issue columns).
	PrevValue, YoY *float64
	PrevRank       *int
}

func f(v float64) *float64 { return &v }
func n(v int) *int         { return &v }

var countyNames = map[string]string{
	"371302": "兰山区", "371311": "罗庄区", "371312": "河东区", "371321": "沂南县", "371322": "郯城县",
	"371323": "沂水县", "371324": "兰陵县", "371325": "费县", "371326": "平邑县", "371327": "莒南县",
	"371328": "蒙阴县", "371329": "临沭县", "371371": "临沂高新技术产业开发区", "371372": "临沂经济技术开发区",
}

func level(code string) string {
	switch {
	case code == "371300":
		return "city"
	case code >= "371371":
		return "zone"
	}
	return "county"
}

// ranked makes the rows of one indicator and period: value and rank per
// code (rank 0 = unranked), one provincial value, peers ranked.
func ranked(ind, period string, prov float64, peers int, vals map[string]float64, ranks map[string]int) []cvp {
	var out []cvp
	for _, code := range sortedKeys(countyNames) {
		v, ok := vals[code]
		if !ok {
			continue
		}
		out = append(out, cvp{Code: code, Name: countyNames[code], Level: level(code), Period: period, Indicator: ind,
			Value: f(v), Province: f(prov), Rank: n(ranks[code]), Peers: n(peers)})
	}
	return out
}

// fixture returns the hand-made county_vs_province rows.
func fixture() []cvp {
	var rows []cvp
	// R&D intensity, 2020: 13 ranked, 371372 missing.
	rd := ranked("rd_intensity", "2020", 2.30, 13,
		map[string]float64{"371371": 4.86, "371312": 2.62, "371302": 2.41, "371329": 2.33, "371323": 2.18, "371311": 2.05,
			"371327": 1.95, "371325": 1.75, "371326": 1.52, "371321": 1.48, "371322": 1.36, "371324": 1.21, "371328": 1.12},
		map[string]int{"371371": 1, "371312": 2, "371302": 3, "371329": 4, "371323": 5, "371311": 6, "371327": 7,
			"371325": 8, "371326": 9, "371321": 10, "371322": 11, "371324": 12, "371328": 13})
	for i := range rd {
		switch rd[i].Code {
		case "371302":
			rd[i].PrevValue, rd[i].YoY, rd[i].PrevRank = f(2.20), f(0.21), n(3)
		case "371312":
			rd[i].PrevRank = n(4)
		case "371328":
			rd[i].PrevRank = n(12)
		}
	}
	rows = append(rows, rd...)
	rows = append(rows,
		cvp{Code: "371372", Name: countyNames["371372"], Level: "zone", Period: "2020", Indicator: "rd_intensity",
			Province: f(2.30), Peers: n(13), Reason: "2020年起不再单列统计"},
		cvp{Code: "371300", Name: "临沂市", Level: "city", Period: "2020", Indicator: "rd_intensity", Value: f(2.14),
			Province: f(2.30), Rank: n(8), Peers: n(16), PrevValue: f(2.02), YoY: f(0.12), PrevRank: n(9)},
		cvp{Code: "371300", Name: "临沂市", Level: "city", Period: "2019", Indicator: "rd_intensity", Value: f(2.02),
			Province: f(2.10), Rank: n(9), Peers: n(16)},
		cvp{Code: "371300", Name: "临沂市", Level: "city", Period: "2018", Indicator: "rd_intensity", Value: f(1.95),
			Province: f(2.15), Rank: n(9), Peers: n(16)},
		cvp{Code: "371302", Name: "兰山区", Level: "county", Period: "2019", Indicator: "rd_intensity", Value: f(2.20),
			Province: f(2.10), Rank: n(3), Peers: n(13)},
	)

	// High-tech enterprises (a stock, per-unit basis), October 2020.
	rows = append(rows, ranked("hitech_enterprises", "2020-10", 13354.0/136, 13,
		map[string]float64{"371302": 127, "371311": 64, "371312": 57, "371321": 31, "371322": 40, "371323": 49, "371324": 35,
			"371325": 44, "371326": 31, "371327": 38, "371328": 25, "371329": 40, "371371": 92},
		map[string]int{"371302": 1, "371371": 2, "371311": 3, "371312": 4, "371323": 5, "371325": 6, "371322": 7, "371329": 7,
			"371327": 9, "371324": 10, "371321": 11, "371326": 11, "371328": 13})...)
	// The city month by month: 2019 472+4m (December 520), 2020 520+8m.
	for m := 1; m <= 12; m++ {
		c := cvp{Code: "371300", Name: "临沂市", Level: "city", Period: fmt.Sprintf("2019-%02d", m), Indicator: "hitech_enterprises",
			Value: f(float64(472 + 4*m))}
		if m == 12 {
			c.Province, c.Rank, c.Peers = f(12000.0/16), n(9), n(16)
		}
		rows = append(rows, c)
	}
	for m := 1; m <= 10; m++ {
		c := cvp{Code: "371300", Name: "临沂市", Level: "city", Period: fmt.Sprintf("2020-%02d", m), Indicator: "hitech_enterprises",
			Value: f(float64(520 + 8*m))}
		if m == 10 {
			c.Province, c.Rank, c.Peers, c.PrevValue, c.YoY, c.PrevRank = f(13354.0/16), n(8), n(16), f(512), f((600.0-512)/512*100), n(9)
		}
		rows = append(rows, c)
	}

	// High-tech share (a ratio), October 2020: 蒙阴县 did not report.
	share := ranked("hitech_output_share", "2020-10", 46.80, 12,
		map[string]float64{"371371": 62.5, "371311": 51.3, "371302": 48.2, "371329": 47.7, "371312": 46.9, "371323": 44.7,
			"371327": 43.3, "371325": 42.5, "371322": 40.1, "371326": 39.6, "371321": 38.4, "371324": 36.8},
		map[string]int{"371371": 1, "371311": 2, "371302": 3, "371329": 4, "371312": 5, "371323": 6, "371327": 7,
			"371325": 8, "371322": 9, "371326": 10, "371321": 11, "371324": 12})
	rows = append(rows, share...)
	rows = append(rows,
		cvp{Code: "371328", Name: "蒙阴县", Level: "county", Period: "2020-10", Indicator: "hitech_output_share",
			Province: f(46.80), Peers: n(12), Reason: "蒙阴县未按时报送"},
		cvp{Code: "371300", Name: "临沂市", Level: "city", Period: "2020-10", Indicator: "hitech_output_share",
			Value: f(45.60), Province: f(46.80), Rank: n(10), Peers: n(16)},
		cvp{Code: "371300", Name: "临沂市", Level: "city", Period: "2019-12", Indicator: "hitech_output_share",
			Value: f(44.40), Province: f(46.10), Rank: n(11), Peers: n(16)},
	)

	// Technology contract turnover (a year-to-date flow), the city only:
	// 2019 2.5 a month, 2020 3 a month, June 2020 not reported.
	for m := 1; m <= 12; m++ {
		rows = append(rows, cvp{Code: "371300", Name: "临沂市", Level: "city", Period: fmt.Sprintf("2019-%02d", m),
			Indicator: "tech_contract_turnover", Value: f(2.5 * float64(m)), Province: f(278.8 / 16 * float64(m) / 10)})
	}
	for m := 1; m <= 10; m++ {
		c := cvp{Code: "371300", Name: "临沂市", Level: "city", Period: fmt.Sprintf("2020-%02d", m),
			Indicator: "tech_contract_turnover", Value: f(3 * float64(m)), Province: f(278.8 / 16 * float64(m) / 10)}
		if m == 6 {
			c.Value, c.Reason = nil, "未按时报送"
		}
		rows = append(rows, c)
	}
	rows = append(rows, cvp{Code: "371302", Name: "兰山区", Level: "county", Period: "2020-10",
		Indicator: "tech_contract_turnover", Value: f(6.20), Province: f(278.8 / 136), Rank: n(1), Peers: n(1)})
	return rows
}

// fixtureModels stand in for sql/models in the lineage graph, so the golden
// pages do not change when a model is added to the product.
func fixtureModels(t *testing.T) []*models.Model {
	t.Helper()
	fsys := fstest.MapFS{
		"m/facts_latest.sql":       {Data: []byte("-- materialized: view\n-- description: 最新版本 / latest vintage\nSELECT * FROM facts")},
		"m/indicator_values.sql":   {Data: []byte("-- materialized: table\n-- description: 指标值 / values\nSELECT * FROM facts_latest JOIN indicators ON true")},
		"m/county_vs_province.sql": {Data: []byte("-- materialized: table\n-- description: 与全省比较 / vs province\nSELECT * FROM indicator_values, regions, unit_counts, focus")},
	}
	ms, err := models.Load(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	ms, err = models.Order(ms)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// fixtureOpts configures newFixture.
type fixtureOpts struct {
	rows   []cvp
	sample bool
	omit   []string // optional marts to drop
}

// newFixture returns a copy of the empty warehouse (real migrations, real
// marts built on no data) filled with the fixture's rows, open.
func newFixture(t *testing.T, o fixtureOpts) *sql.DB {
	t.Helper()
	ctx := context.Background()
	s := warehouseCopy(t, "empty").SQL()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if o.rows == nil {
		o.rows = fixture()
	}
	for _, r := range o.rows {
		insertCVP(t, s, r)
	}
	// indicator_values holds what county_vs_province shows; the real view
	// monthly_values derives the single months from it.
	exec(`INSERT INTO indicator_values (region_code, period, year, month, indicator, value, missing_reason, derivation, status, vintage)
		SELECT region_code, period, year, month, indicator, value, missing_reason, derivation, status, 2 FROM county_vs_province`)
	insertMarts(t, exec)
	source := "county-reports/2020-10.xlsx"
	if o.sample {
		source = "sample:facts_monthly.csv"
	}
	exec(`INSERT INTO loads (id, run_id, file_name, file_hash, format, rows_read, facts_new, facts_revised, loaded_at) VALUES (1, 1, 'county-reports/2019.xlsx', 'abc', 'xlsx', 120, 120, 0, ?),
		(2, 2, ?, 'def', 'csv', 300, 280, 4, ?)`,
		time.Date(2020, 3, 2, 1, 0, 0, 0, time.UTC), source, time.Date(2021, 3, 15, 2, 30, 0, 0, time.UTC))
	exec(`INSERT INTO facts VALUES
		('371302', '2019', 'rd_expenditure', 3.1, NULL, 'final', 1, 'county-reports/2019.xlsx', '2019', 4, 1, ?, NULL),
		('371302', '2020-10', 'hitech_enterprises', 127, NULL, 'provisional', 2, ?, 'hitech', 5, 2, ?, NULL),
		('371328', '2020-10', 'hitech_output', NULL, '蒙阴县未按时报送', 'provisional', 2, ?, 'hitech', 9, 2, ?, NULL)`,
		time.Date(2020, 3, 2, 1, 0, 0, 0, time.UTC), source, time.Date(2021, 3, 15, 2, 30, 0, 0, time.UTC),
		source, time.Date(2021, 3, 15, 2, 30, 0, 0, time.UTC))
	exec(`INSERT INTO targets VALUES
		('371300', 2020, 'hitech_enterprises', 'total', 630, NULL, NULL, '高新技术企业总数达到630家以上', '临政字〔2020〕41号'),
		('371300', 2020, 'hitech_enterprises', 'net_increase', 100, NULL, '2019-12', '净增高新技术企业100家以上', '临政字〔2020〕41号')`)
	for _, m := range o.omit {
		if m == martChanges {
			for _, c := range []string{"prev_value", "yoy", "yoy_unit", "prev_rank", "rank_change"} {
				exec("ALTER TABLE county_vs_province DROP COLUMN " + c)
			}
			continue
		}
		kind := "TABLE"
		if m == "facts_latest" || m == "monthly_values" {
			kind = "VIEW"
		}
		exec("DROP " + kind + " " + duckdb.Ident(m))
	}
	return s
}

// insertCVP inserts one county_vs_province row, deriving what the model
// derives: unit, decimals, basis, units, gap, index, above, yoy unit and
// rank change.
func insertCVP(t *testing.T, s *sql.DB, r cvp) {
	t.Helper()
	unit, dec, basis, kind := map[string]string{"rd_intensity": "%", "hitech_output_share": "%", "hitech_enterprises": "家",
		"tech_contract_turnover": "亿元"}[r.Indicator], 2, "per_unit", "amount"
	if unit == "%" {
		basis, kind = "ratio", "ratio"
	}
	if unit == "家" {
		dec, kind = 0, "count"
	}
	var units *int
	if basis == "per_unit" {
		units = n(136)
		if r.Level == "city" {
			units = n(16)
		}
	}
	var gap, index *float64
	var above *bool
	if r.Value != nil && r.Province != nil {
		gap, index = f(*r.Value-*r.Province), f(*r.Value / *r.Province * 100)
		a := *r.Value > *r.Province
		above = &a
	}
	var reason *string
	derivation := "reported"
	if r.Reason != "" {
		reason, derivation = &r.Reason, "missing"
	}
	yoyUnit := "%"
	if unit == "%" {
		yoyUnit = "百分点"
	}
	var change *int
	if r.PrevRank != nil && r.Rank != nil {
		change = n(*r.PrevRank - *r.Rank)
	}
	year, month := r.Period[:4], (*string)(nil)
	if len(r.Period) == 7 {
		m := r.Period[5:]
		month = &m
	}
	_, err := s.Exec(`INSERT INTO county_vs_province (region_code, region_name, level, period, year, month, indicator,
		value, unit, decimals, province_value, comparison_basis, units_in_province, gap, index_vs_province, above_province,
		rank, peer_count, missing_reason, derivation, status, kind, prev_value, yoy, yoy_unit, prev_rank, rank_change)
		VALUES (?, ?, ?, ?, CAST(? AS INTEGER), CAST(? AS INTEGER), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Code, r.Name, r.Level, r.Period, year, month, r.Indicator, r.Value, unit, dec, r.Province, basis, units, gap, index,
		above, r.Rank, r.Peers, reason, derivation, "provisional", kind, r.PrevValue, r.YoY, yoyUnit, r.PrevRank, change)
	if err != nil {
		t.Fatal(err)
	}
}

// insertMarts fills the other marts with hand-made rows, every column
// named: the tables are the real models' (warehouses_test.go).
func insertMarts(t *testing.T, exec func(string, ...any)) {
	t.Helper()
	// The province's 16 cities, R&D intensity 2020, ranked under the
	// shipped tier_cutoffs (1–4, 5–10, the rest): 泰安 and 威海 tie at 9;
	// the first tier's lowest value is 潍坊's 2.55.
	type city struct {
		code, name string
		v          float64
		rank, prev int
	}
	cities := []city{{"370200", "青岛市", 3.05, 1, 1}, {"370100", "济南市", 2.92, 2, 2}, {"370600", "烟台市", 2.64, 3, 4},
		{"370700", "潍坊市", 2.55, 4, 3}, {"370300", "淄博市", 2.51, 5, 5}, {"370500", "东营市", 2.38, 6, 6},
		{"370800", "济宁市", 2.20, 7, 8}, {"371300", "临沂市", 2.14, 8, 9}, {"370900", "泰安市", 2.10, 9, 7},
		{"371000", "威海市", 2.10, 9, 10}, {"371100", "日照市", 1.88, 11, 11}, {"371400", "德州市", 1.80, 12, 12},
		{"371600", "滨州市", 1.72, 13, 14}, {"370400", "枣庄市", 1.65, 14, 13}, {"371500", "聊城市", 1.52, 15, 15},
		{"371700", "菏泽市", 1.31, 16, 16}}
	for _, c := range cities {
		tier, name := 3, "第三梯队"
		switch {
		case c.rank <= 4:
			tier, name = 1, "第一梯队"
		case c.rank <= 10:
			tier, name = 2, "第二梯队"
		}
		var gapFirst *float64
		if tier > 1 {
			gapFirst = f(2.55 - c.v)
		}
		exec(`INSERT INTO city_ranking (region_code, region_name, period, year, month, indicator, value, unit, decimals, kind,
			rank, peer_count, prev_rank, rank_change, tier, tier_name, first_tier_threshold, gap_to_first_tier,
			province_value, comparison_basis, gap_to_province, is_focus, yoy_unit)
			VALUES (?, ?, '2020', 2020, NULL, 'rd_intensity', ?, '%', 2, 'ratio', ?, 16, ?, ?, ?, ?, 2.55, ?, 2.30, 'ratio', ?, ?, '百分点')`,
			c.code, c.name, c.v, c.rank, c.prev, c.prev-c.rank, tier, name, gapFirst, c.v-2.30, c.code == "371300")
	}
	exec(`INSERT INTO target_progress (region_code, region_name, year, as_of_period, as_of_month, indicator, unit, target_kind,
		description_zh, target_value, target_max, baseline_period, baseline_value, current_value, actual_value, province_value,
		completion_pct, time_progress_pct, ahead_points, status, status_zh, progress_text_zh, missing_reason, needed_value, measure_note) VALUES
	('371300', '临沂市', 2020, '2020-09', 9, 'hitech_enterprises', '家', 'total', '高新技术企业总数达到630家以上', 630, NULL, '2019-12', 520, 592, 72, NULL, 65.454545, 75, -9.545455, 'behind', '慢于序时', NULL, NULL, 110, '按比2019年12月末的增量计算（目标值−基期值）'),
	('371300', '临沂市', 2020, '2020-10', 10, 'hitech_enterprises', '家', 'total', '高新技术企业总数达到630家以上', 630, NULL, '2019-12', 520, 600, 80, NULL, 72.727273, 83.333333, -10.606060, 'behind', '慢于序时', NULL, NULL, 110, '按比2019年12月末的增量计算（目标值−基期值）'),
	('371300', '临沂市', 2020, '2020-10', 10, 'hitech_enterprises', '家', 'net_increase', '净增高新技术企业100家以上', 100, NULL, '2019-12', 520, 600, 80, NULL, 80, 83.333333, -3.333333, 'behind', '慢于序时', NULL, NULL, 100, NULL),
	('371300', '临沂市', 2020, '2020-10', 10, 'hitech_output_share', '%', 'point_increase', '高新技术产业产值占比提高1个百分点以上', 1, NULL, '2019-10', 44.4, 45.6, 1.2, 46.8, 120, NULL, NULL, 'on_track', '同比已达目标幅度', NULL, NULL, 1, '与上年同期（2019年10月）比较，以全年数评价'),
	('371300', '临沂市', 2020, '2020', 12, 'rd_intensity', '%', 'above_province', '全社会R&D投入占比持续增高，确保超过全省平均水平', NULL, NULL, '2019', 2.02, 2.14, -0.16, 2.30, NULL, NULL, NULL, 'not_met', '未达标', '低于全省0.16个百分点，未达标', NULL, NULL, NULL),
	('371300', '临沂市', 2020, '2020-10', 10, 'star_market_listings', '家', 'count_this_year', '争取2020年有1-2家企业在科创板上市', 1, 2, '2019-12', NULL, NULL, NULL, NULL, NULL, 83.333333, NULL, 'missing', '缺数', NULL, '2020年数据尚未报送', 1, NULL),
	('371302', '兰山区', 2020, '2020-10', 10, 'hitech_enterprises', '家', 'total', '兰山区高新技术企业达到130家', 130, NULL, '2019-12', 110, 127, 17, NULL, 85, 83.333333, 1.666667, 'ahead', '快于序时', NULL, NULL, 20, NULL)`)
	// The composite index. 兰山 2020 from its four components below:
	// (0.36528 + 0.39034 + 0.66353 + 0.23889) ÷ 4 × 100 = 41.451; the
	// province scores 36.8, so the index is 41.451 ÷ 36.8 × 100 = 112.64
	// (较强型, 100–125 under the shipped index_groups). 2019: 39.0 ÷ 36.0.
	exec(`INSERT INTO innovation_index (region_code, region_name, level, year, score, index_vs_province, performance_group,
		group_zh, components, weight_share, rank, peer_count, missing_reason) VALUES
	('371302', '兰山区', 'county', 2019, 39.0, 108.333333, 'strong', '较强型', 4, 0.666667, 3, 14, NULL),
	('371302', '兰山区', 'county', 2020, 41.451, 112.638587, 'strong', '较强型', 4, 0.666667, 2, 14, NULL),
	('371372', '临沂经济技术开发区', 'zone', 2020, NULL, NULL, NULL, NULL, 1, 0.166667, NULL, 14, '有值构成项权重不足50%'),
	('370000', '山东省', 'province', 2019, 36.0, 100, 'strong', '较强型', 4, 0.666667, NULL, 14, NULL),
	('370000', '山东省', 'province', 2020, 36.8, 100, 'strong', '较强型', 4, 0.666667, NULL, 14, NULL)`)
	// Components of 兰山 2020, per 100 亿元 of its GDP of 900 亿元:
	// R&D intensity 2.41 in [1.00, 4.86] → 1.41 ÷ 3.86 = 0.36528;
	// high-tech enterprises 127 ÷ 900 × 100 = 14.111, √ = 3.7565 in
	// [2.0, 6.5] → 0.39034; high-tech share 48.2 in [20, 62.5] → 0.66353;
	// turnover 6.2 ÷ 900 × 100 = 0.68889, √ = 0.83000 in [0.4, 2.2] → 0.23889.
	exec(`INSERT INTO innovation_index_components (region_code, year, indicator, period, raw_value, per_value, intensity_value,
		transformed, window_min, window_max, normalised, weight, missing_reason) VALUES
	('371302', 2020, 'rd_intensity', '2020', 2.41, NULL, 2.41, 2.41, 1.00, 4.86, 0.365285, 1, NULL),
	('371302', 2020, 'hitech_enterprises', '2020-12', 127, 900, 14.111111, 3.756476, 2.0, 6.5, 0.390328, 1, NULL),
	('371302', 2020, 'hitech_output_share', '2020-12', 48.2, NULL, 48.2, 48.2, 20, 62.5, 0.663529, 1, NULL),
	('371302', 2020, 'tech_contract_turnover', '2020-12', 6.2, 900, 0.688889, 0.829993, 0.4, 2.2, 0.238885, 1, NULL),
	('371302', 2020, 'tech_smes', '2020-12', NULL, 900, NULL, NULL, 2.1, 8.8, NULL, 1, '2020-12未报送'),
	('371302', 2020, 'platforms', '2020-12', NULL, 900, NULL, NULL, 2.6, 6.3, NULL, 1, '2020-12未报送')`)
}

// fixedNow is the clock of every test render: 2021-03-16 08:05 in Beijing.
func fixedNow() time.Time { return time.Date(2021, 3, 16, 0, 5, 0, 0, time.UTC) }

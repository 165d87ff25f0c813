package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/models"
	"github.com/linyi-sti/innowatch/pipelines"
)

// dataTest returns the shipped data test named name.
func dataTest(t *testing.T, name string) *models.DataTest {
	t.Helper()
	_, ts := embedded(t)
	for _, x := range ts {
		if x.Name == name {
			return x
		}
	}
	t.Fatalf("no data test %s", name)
	return nil
}

// ratio_equals_parts was rewritten from three scans and two joins on the
// three-column key into one grouped scan; each way a ratio can break must
// still be caught, with the same columns. Values of the compare fixture:
// 兰山 2020 R&D 3亿元 (30000万元) on a GDP of 100 → 3; 罗庄 2020 2/100 → 2,
// 2019 3/100 → 3.
func TestRatioEqualsPartsCatches(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	test := dataTest(t, "ratio_equals_parts")
	if _, err := db.SQL().Exec("CREATE TABLE iv_backup AS SELECT * FROM indicator_values"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		break_ string
		want   [][]any // region_code, period, indicator, expected, got, derivation
	}{
		{"intact", "", nil},
		{"a wrong value", "UPDATE indicator_values SET value = 3.5 WHERE region_code = '371302' AND period = '2020' AND indicator = 'rd_intensity'",
			[][]any{{"371302", "2020", "rd_intensity", 3.0, 3.5, "computed"}}},
		{"a reported ratio where the parts exist", "UPDATE indicator_values SET derivation = 'reported' WHERE region_code = '371311' AND period = '2020' AND indicator = 'rd_intensity'",
			[][]any{{"371311", "2020", "rd_intensity", 2.0, 2.0, "reported"}}},
		{"the ratio missing", "DELETE FROM indicator_values WHERE region_code = '371311' AND period = '2019' AND indicator = 'rd_intensity'",
			[][]any{{"371311", "2019", "rd_intensity", 3.0, nil, nil}}},
		{"the ratio NULL", "UPDATE indicator_values SET value = NULL WHERE region_code = '371311' AND period = '2019' AND indicator = 'rd_intensity'",
			[][]any{{"371311", "2019", "rd_intensity", 3.0, nil, "computed"}}},
	}
	for _, c := range cases {
		if c.break_ != "" {
			if _, err := db.SQL().Exec(c.break_); err != nil {
				t.Fatal(err)
			}
		}
		got := rows(t, db, test.SQL)
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
		if _, err := db.SQL().Exec("CREATE OR REPLACE TABLE indicator_values AS SELECT * FROM iv_backup"); err != nil {
			t.Fatal(err)
		}
	}
}

// failing returns the rows data test name finds on the published marts.
func failing(t *testing.T, db *duckdb.DB, name string) [][]any {
	t.Helper()
	return rows(t, db, dataTest(t, name).SQL)
}

// exec runs each statement on db.
func exec(t *testing.T, db *duckdb.DB, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// unique_keys no longer groups indicator_values (unique by construction:
// TestIndicatorValuesOneRowPerKey); a duplicate in each mart it still
// reads is caught, keyed as before.
func TestUniqueKeysCatches(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	if got := failing(t, db, "unique_keys"); got != nil {
		t.Fatalf("intact marts: %v", got)
	}
	exec(t, db,
		"INSERT INTO county_vs_province SELECT * FROM county_vs_province WHERE region_code = '371302' AND period = '2020' AND indicator = 'rd_intensity'",
		"INSERT INTO city_ranking SELECT * FROM city_ranking WHERE region_code = '370100' AND period = '2020' AND indicator = 'gdp'",
		"INSERT INTO innovation_index_components SELECT * FROM innovation_index_components LIMIT 1")
	got := failing(t, db, "unique_keys")
	marts := map[string]string{}
	for _, r := range got {
		marts[r[0].(string)] = r[1].(string)
	}
	want := map[string]string{"county_vs_province": "371302|2020|rd_intensity", "city_ranking": "370100|2020|gdp"}
	for m, k := range want {
		if marts[m] != k {
			t.Errorf("unique_keys found %v, want %s key %s", got, m, k)
		}
	}
	if _, ok := marts["innovation_index_components"]; !ok {
		t.Errorf("unique_keys found %v, want a duplicate in innovation_index_components", got)
	}
}

// indicator_values has one row per key by construction: a key revised by a
// later vintage, and a ratio both reported and computable from its parts,
// each give one row (the latest vintage; the computed ratio). Without
// facts_latest's one row per key, or with the computed and reported rows
// joined on anything less than the key, this fails.
func TestIndicatorValuesOneRowPerKey(t *testing.T) {
	db := warehouse(t, "compare")
	ctx := context.Background()
	cat, err := db.LoadCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A second vintage of 兰山 2020 GDP and a reported R&D intensity for 兰山
	// 2020, whose parts are loaded (computed: 3亿元 / 100 × 100 = 3).
	b := pipelines.ReadCSV("rev.csv", []byte("region_code,period,indicator,value,unit,status,note\n"+
		"371302,2020,gdp,120,亿元,final,\n371302,2020,rd_intensity,9.9,%,final,\n"), cat)
	if res, err := (&pipelines.Loader{DB: db, Now: time.Now}).Load(ctx, 9, b); err != nil || res.Status != pipelines.Loaded {
		t.Fatalf("load the revision: %v %+v", err, res)
	}
	build(t, db)
	if got := rows(t, db, `SELECT region_code, period, indicator, count(*) FROM indicator_values
		GROUP BY ALL HAVING count(*) > 1`); got != nil {
		t.Errorf("keys with more than one row: %v", got)
	}
	want := [][]any{{"gdp", 120.0, "reported"}, {"rd_intensity", 2.5, "computed"}}
	if got := rows(t, db, `SELECT indicator, value, derivation FROM indicator_values
		WHERE region_code = '371302' AND period = '2020' AND indicator IN ('gdp', 'rd_intensity') ORDER BY indicator`); !cmp.Equal(got, want) {
		t.Errorf("兰山 2020 = %v, want %v (30000万元 = 3亿元 / 120 × 100 = 2.5)", got, want)
	}
}

// not_null no longer evaluates monthly_values (by construction:
// TestMonthlyValuesSaysWhy); a NULL key or an unexplained missing value in
// the marts it reads is still caught.
func TestNotNullCatches(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	if got := failing(t, db, "not_null"); got != nil {
		t.Fatalf("intact marts: %v", got)
	}
	exec(t, db,
		"UPDATE indicator_values SET value = NULL, missing_reason = NULL WHERE region_code = '371311' AND period = '2020' AND indicator = 'gdp'",
		"UPDATE county_vs_province SET peer_count = NULL WHERE region_code = '371312' AND period = '2020' AND indicator = 'gdp'")
	want := [][]any{
		{"indicator_values", "371311|2020|gdp", "key, derivation or missing_reason"},
		{"county_vs_province", "371312|2020|gdp", "key, level, unit, basis, peer_count or missing_reason"},
	}
	if diff := cmp.Diff(want, failing(t, db, "not_null")); diff != "" {
		t.Errorf("not_null (-want +got):\n%s", diff)
	}
}

// monthly_values gives a reason exactly when a single month is missing, by
// construction, on every path: a missing year-to-date value (with and
// without a reason of its own), a missing previous month, a ratio whose
// part is missing, whose denominator's single month is 0, or whose parts
// are absent altogether.
func TestMonthlyValuesSaysWhy(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	exec(t, db,
		// 临沂 1-2月 hitech_output missing without a reason of its own.
		"UPDATE indicator_values SET value = NULL, missing_reason = NULL WHERE region_code = '371300' AND period = '2020-02' AND indicator = 'hitech_output'",
		// 临沂 2019 1-3月 industrial_output equal to 1-2月's: a single month of 0.
		"UPDATE indicator_values SET value = 100 WHERE region_code = '371300' AND period = '2019-03' AND indicator = 'industrial_output'",
		// 兰山 1月 industrial_output gone: no January, February's previous month missing.
		"DELETE FROM indicator_values WHERE region_code = '371302' AND period = '2020-01' AND indicator = 'industrial_output'",
		// 兰山 2019: a share with no parts at all.
		"INSERT INTO indicator_values (region_code, period, year, month, indicator, value, derivation, status, vintage) "+
			"VALUES ('371302', '2019-05', 2019, 5, 'hitech_output_share', 30, 'reported', 'final', 1)")
	if got := rows(t, db, `SELECT region_code, period, indicator FROM monthly_values
		WHERE region_code IS NULL OR period IS NULL OR indicator IS NULL
		   OR (month_value IS NULL) <> (missing_reason IS NOT NULL)`); got != nil {
		t.Errorf("rows whose missing_reason does not match a missing month_value: %v", got)
	}
	want := [][]any{
		{"371300", "2019-03", "hitech_output_share", "分母当月值为0"},
		{"371300", "2020-02", "hitech_output", "2月累计缺失"},
		{"371300", "2020-02", "hitech_output_share", "当月值暂缺；2月累计缺失"},
		{"371300", "2020-03", "hitech_output", "2月累计缺失：无数据"},
		{"371300", "2020-03", "hitech_output_share", "当月值暂缺；2月累计缺失：无数据"},
		{"371302", "2019-05", "hitech_output_share", "当月值暂缺"},
		{"371302", "2020-01", "hitech_output_share", "当月值暂缺"},
		{"371302", "2020-02", "hitech_output", "2月累计缺失：兰山区2月未报送"},
		{"371302", "2020-02", "hitech_output_share", "当月值暂缺；2月累计缺失：兰山区2月未报送；1月累计缺失：无数据"},
		{"371302", "2020-02", "industrial_output", "1月累计缺失：无数据"},
		{"371302", "2020-03", "hitech_output", "2月累计缺失：兰山区2月未报送"},
		{"371302", "2020-03", "hitech_output_share", "当月值暂缺；2月累计缺失：兰山区2月未报送"},
	}
	got := rows(t, db, `SELECT region_code, period, indicator, missing_reason FROM monthly_values
		WHERE month_value IS NULL AND year >= 2019 ORDER BY ALL`)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("missing single months and their reasons (-want +got):\n%s", diff)
	}
}

// ytd_non_decreasing reads only the monthly non-ratio flows with a value on
// both sides of its self-join; it still reports every fall within a year
// and nothing else. In the fixture 临沂's share falls from 40 to 25 (a
// ratio: not a year-to-date sum) and hitech_output runs 45 (2019-03) → 12
// (2020-01) across a year end: neither is reported.
func TestYTDNonDecreasingCatches(t *testing.T) {
	db := warehouse(t, "compare")
	build(t, db)
	exec(t, db, "CREATE TABLE iv_backup AS SELECT * FROM indicator_values")
	const key = "region_code = '371300' AND indicator = 'hitech_output' AND period = "
	cases := []struct {
		name   string
		break_ string
		want   [][]any // region_code, indicator, prev_period, prev_ytd, period, ytd
	}{
		{"intact", "", nil},
		{"March below February", "UPDATE indicator_values SET value = 18 WHERE " + key + "'2020-03'",
			[][]any{{"371300", "hitech_output", "2020-02", 20.0, "2020-03", 18.0}}},
		{"January above February", "UPDATE indicator_values SET value = 50 WHERE " + key + "'2020-01'",
			[][]any{{"371300", "hitech_output", "2020-01", 50.0, "2020-02", 20.0}}},
		{"February missing, March below January", "UPDATE indicator_values SET value = CASE period WHEN '2020-02' THEN NULL ELSE 5 END " +
			"WHERE region_code = '371300' AND indicator = 'hitech_output' AND period IN ('2020-02', '2020-03')", nil},
	}
	for _, c := range cases {
		if c.break_ != "" {
			exec(t, db, c.break_)
		}
		if diff := cmp.Diff(c.want, failing(t, db, "ytd_non_decreasing")); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
		exec(t, db, "CREATE OR REPLACE TABLE indicator_values AS SELECT * FROM iv_backup")
	}
}

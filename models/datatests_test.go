package models_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch/models"
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

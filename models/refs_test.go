package models_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/linyi-sti/innowatch/models"
)

func TestFindReferences(t *testing.T) {
	cases := []struct {
		name string
		sql  string
		want models.References
	}{
		{"plain", "SELECT * FROM facts", models.References{Relations: []string{"facts"}}},
		{"joins and aliases", "SELECT * FROM a x JOIN b AS y ON x.k = y.k LEFT JOIN c USING (k) CROSS JOIN d",
			models.References{Relations: []string{"a", "b", "c", "d"}}},
		{"comma list", "SELECT * FROM v, f WHERE 1 = 1", models.References{Relations: []string{"f", "v"}}},
		{"CTEs are not relations", "WITH f AS (SELECT 1), g (n) AS (SELECT 2) SELECT * FROM f, g, regions",
			models.References{Relations: []string{"regions"}, CTEs: []string{"f", "g"}}},
		{"table functions", "SELECT * FROM range(2010, 2031) t (y), duckdb_tables() JOIN read_csv('x.csv') c ON true",
			models.References{}},
		{"FROM inside functions", "SELECT extract(year FROM d), substring(s FROM 2), trim(both 'x' FROM s) FROM t",
			models.References{Relations: []string{"t"}}},
		{"IS DISTINCT FROM", "SELECT * FROM t WHERE a IS DISTINCT FROM b AND c IS NOT DISTINCT FROM d",
			models.References{Relations: []string{"t"}}},
		{"subqueries", "SELECT (SELECT min(x) FROM s1) FROM (SELECT * FROM s2) q WHERE k IN (SELECT k FROM s3) AND EXISTS (SELECT 1 FROM s4)",
			models.References{Relations: []string{"s1", "s2", "s3", "s4"}}},
		{"comments and strings", "-- FROM nowhere\nSELECT 'FROM nothing' /* JOIN none */ FROM t",
			models.References{Relations: []string{"t"}}},
		{"quoted and qualified", `SELECT * FROM "Facts" JOIN main.regions r ON true JOIN information_schema.tables i ON true`,
			models.References{Relations: []string{"facts", "information_schema.tables", "main.regions"}}},
		{"lateral and values", "SELECT * FROM (VALUES (1)) v (n), LATERAL (SELECT n FROM w) l",
			models.References{Relations: []string{"w"}}},
	}
	for _, c := range cases {
		got := models.FindReferences(c.sql)
		if diff := cmp.Diff(c.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", c.name, diff)
		}
	}
}

// The builder makes a model read its rebuilt upstream models' staging
// tables: only relation names after FROM and JOIN change.
func TestRenameRelations(t *testing.T) {
	rename := map[string]string{"indicator_values": "indicator_values__staging", "facts_latest": "facts_latest__staging"}
	cases := []struct {
		name, sql, want string
	}{
		{"from and join", "SELECT * FROM indicator_values iv JOIN facts_latest f ON true JOIN regions r ON true",
			`SELECT * FROM "indicator_values__staging" iv JOIN "facts_latest__staging" f ON true JOIN regions r ON true`},
		{"qualified, quoted, comma list", `SELECT * FROM main.indicator_values, "Facts_Latest"`,
			`SELECT * FROM "indicator_values__staging", "facts_latest__staging"`},
		{"columns, strings and comments stay", "-- FROM indicator_values\nSELECT indicator_values.value, 'FROM facts_latest' FROM indicator_values",
			"-- FROM indicator_values\nSELECT indicator_values.value, 'FROM facts_latest' FROM \"indicator_values__staging\""},
		{"a CTE of the same name is the CTE", "WITH facts_latest AS (SELECT * FROM indicator_values) SELECT * FROM facts_latest",
			`WITH facts_latest AS (SELECT * FROM "indicator_values__staging") SELECT * FROM facts_latest`},
		{"subqueries, multibyte text before", "SELECT '临沂', (SELECT max(v) FROM indicator_values) FROM t WHERE k IN (SELECT k FROM facts_latest)",
			`SELECT '临沂', (SELECT max(v) FROM "indicator_values__staging") FROM t WHERE k IN (SELECT k FROM "facts_latest__staging")`},
		{"another schema's table of the same name stays", "SELECT * FROM other.indicator_values",
			"SELECT * FROM other.indicator_values"},
	}
	for _, c := range cases {
		if got := models.RenameRelations(c.sql, rename); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

package bulletin

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func month(t *testing.T, s string) innowatch.Period {
	t.Helper()
	p, err := innowatch.ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// withoutECharts replaces the inlined ECharts library (1 MB, vendored and
// pinned) by a marker, so the golden files hold what this package writes.
func withoutECharts(t *testing.T, html []byte) []byte {
	t.Helper()
	js, err := dashboards.Assets.ReadFile(echartsFile)
	if err != nil {
		t.Fatalf("%v: run scripts/assets.sh", err)
	}
	if n := bytes.Count(html, js); n != 1 {
		t.Fatalf("the page inlines echarts.min.js %d times, want once", n)
	}
	return bytes.Replace(html, js, []byte(fmt.Sprintf("/* vendored echarts.min.js, %d bytes */", len(js))), 1)
}

// goldenMonths are the sample bulletins kept as golden files.
var goldenMonths = []string{"2020-03", "2020-10"}

// eachGoldenMonth generates the sample bulletin of every golden month, each
// in a subtest.
func eachGoldenMonth(t *testing.T, check func(t *testing.T, m string, doc *Document)) {
	t.Helper()
	db := sampleWarehouse(t)
	for _, m := range goldenMonths {
		t.Run(m, func(t *testing.T) {
			doc, err := Generate(context.Background(), db.SQL(), month(t, m), Meta{PublishedAt: fixedNow()})
			if err != nil {
				t.Fatalf("Generate: %v (hint: %s)", err, innowatch.HintOf(err))
			}
			check(t, m, doc)
		})
	}
}

func TestGolden(t *testing.T) {
	eachGoldenMonth(t, func(t *testing.T, m string, doc *Document) {
		for _, f := range []struct {
			name string
			got  []byte
		}{
			{m + ".golden.html", withoutECharts(t, doc.HTML)},
			{m + ".golden.md", doc.Markdown},
		} {
			golden := filepath.Join("testdata", f.name)
			if *update {
				if err := os.WriteFile(golden, f.got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(f.got)); diff != "" {
				t.Errorf("%s differs (-want +got; rerun with -update after review):\n%s", golden, diff)
			}
		}
	})
}

func TestGenerateIsByteIdentical(t *testing.T) {
	db := sampleWarehouse(t)
	meta := Meta{PublishedAt: fixedNow()}
	a, err := Generate(context.Background(), db.SQL(), month(t, "2020-10"), meta)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(context.Background(), db.SQL(), month(t, "2020-10"), meta)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.HTML, b.HTML) || !bytes.Equal(a.Markdown, b.Markdown) {
		t.Error("two renders of the same vintage differ")
	}
	for _, id := range []string{`id="chart_counties"`, `id="chart_cities"`, `id="chart_monthly"`, `id="chart_targets"`} {
		if !bytes.Contains(a.HTML, []byte(id)) {
			t.Errorf("HTML lacks the chart %s", id)
		}
	}
	// echarts.min.js holds XML namespace URIs; the page itself no URL.
	if bytes.Contains(withoutECharts(t, a.HTML), []byte("http")) {
		t.Error("the bulletin page names a URL: it must be self-contained")
	}
}

func TestFirstMonthOfTheYear(t *testing.T) {
	db := sampleWarehouse(t)
	doc, err := Generate(context.Background(), db.SQL(), month(t, "2020-01"), Meta{PublishedAt: fixedNow()})
	if err != nil {
		t.Fatal(err)
	}
	md := string(doc.Markdown)
	for _, want := range []string{
		"# 临沂市科技创新主要指标月报（2020年1月）",
		"2020年第1期",
		"\n1月，全市高新技术产业产值占比",
		"\n1月末，全市高新技术企业数",
		"（1/12 = 8.3%）",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("January's bulletin lacks %q", want)
		}
	}
	if strings.Contains(md, "1-1月") {
		t.Error(`January's bulletin says "1-1月"`)
	}
}

// TestNumbersEqualTheMarts reads every number of the narrative back from
// the mart cell it was printed from, and checks that no number is printed
// without one.
func TestNumbersEqualTheMarts(t *testing.T) {
	db := sampleWarehouse(t)
	ctx := context.Background()
	for _, m := range []string{"2020-01", "2020-03", "2020-10"} {
		t.Run(m, func(t *testing.T) {
			p := month(t, m)
			d, err := Load(ctx, db.SQL(), p)
			if err != nil {
				t.Fatal(err)
			}
			marts := map[string]int{}
			for _, part := range Compose(d) {
				for _, s := range part.Sentences {
					checkNumbers(t, s)
					for _, n := range s.Nums {
						marts[n.Mart]++
						checkNum(t, db.SQL(), p, n)
					}
				}
			}
			for _, mart := range []string{martCounty, martCities, martTargets, tableTargets, ""} {
				if marts[mart] == 0 {
					t.Errorf("the narrative prints no number from %q: the check is empty", mart)
				}
			}
		})
	}
}

func checkNum(t *testing.T, db *sql.DB, month innowatch.Period, n Num) {
	t.Helper()
	if n.Mart == "" {
		want := map[string]string{"month": strconv.Itoa(month.Month), "first_month": "1", "months": "12",
			"year": strconv.Itoa(month.Year - 1)}[n.Column]
		if n.Text != want {
			t.Errorf("calendar %s printed %q, want %q", n.Column, n.Text, want)
		}
		return
	}
	var where []string
	var args []any
	for _, k := range n.Key {
		where = append(where, duckdb.Ident(k.Column)+" = ?")
		args = append(args, k.Value)
	}
	q := "SELECT " + duckdb.Ident(n.Column) + " FROM " + duckdb.Ident(n.Mart) + " WHERE " + strings.Join(where, " AND ")
	if n.IsText {
		var got string
		if err := db.QueryRow(q, args...).Scan(&got); err != nil {
			t.Fatalf("%s %v: %v", q, args, err)
		}
		if got != n.Text {
			t.Errorf("%s.%s %v printed %q, mart holds %q", n.Mart, n.Column, n.Key, n.Text, got)
		}
		return
	}
	var v sql.NullFloat64
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s %v: %v", q, args, err)
	}
	if !v.Valid {
		t.Errorf("%s.%s %v printed %q, mart holds NULL", n.Mart, n.Column, n.Key, n.Text)
		return
	}
	want := v.Float64
	if n.Abs && want < 0 {
		want = -want
	}
	if got := fixed(want, n.Decimals); got != n.Text {
		t.Errorf("%s.%s %v printed %q, mart holds %v (%q at %d decimals)", n.Mart, n.Column, n.Key, n.Text, v.Float64, got, n.Decimals)
	}
}

func TestMissingMartIsNamed(t *testing.T) {
	for _, tc := range []struct {
		name, ddl, want string
	}{
		{"table", "DROP TABLE city_ranking", "the warehouse has no mart city_ranking"},
		{"view", "DROP VIEW monthly_values", "the warehouse has no mart monthly_values"},
		{"column", "ALTER TABLE county_vs_province DROP COLUMN rank_change", "mart county_vs_province lacks column(s) rank_change"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := sampleWarehouse(t)
			if _, err := db.SQL().Exec(tc.ddl); err != nil {
				t.Fatal(err)
			}
			_, err := Generate(context.Background(), db.SQL(), month(t, "2020-10"), Meta{PublishedAt: fixedNow()})
			if !errors.Is(err, ErrMartMissing) {
				t.Fatalf("err = %v, want ErrMartMissing", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if h := innowatch.HintOf(err); !strings.Contains(h, "innowatch build") {
				t.Errorf("hint %q does not say to run innowatch build", h)
			}
		})
	}
}

func TestLatestMonth(t *testing.T) {
	db := sampleWarehouse(t)
	got, err := LatestMonth(context.Background(), db.SQL())
	if err != nil {
		t.Fatal(err)
	}
	if want := (innowatch.Period{Year: 2020, Month: 12}); got != want {
		t.Errorf("LatestMonth = %v, want %v (the sample runs to December 2020)", got, want)
	}
}

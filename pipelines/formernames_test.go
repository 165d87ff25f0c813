package pipelines

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/google/go-cmp/cmp"
)

// TestFormerRegions (issue 13, item 11): former codes and names of the
// national division history, in the region column of a long CSV.
func TestFormerRegions(t *testing.T) {
	const head = "region_code,period,indicator,value\n"
	tests := []struct {
		name  string
		data  string
		facts map[string]float64
		// warns are substrings of the former_region_name warnings, one each.
		warns []string
		// errKey and errHint: the first error's key and substrings of its hint.
		errKey  string
		errHint []string
	}{
		{name: "苍山县 and its code under 临沂地区",
			data:  head + "苍山县,2013,rd_expenditure,3.5\n372823,2012,rd_expenditure,3.4\n",
			facts: map[string]float64{"371324|2013|rd_expenditure": 3.5, "371324|2012|rd_expenditure": 3.4},
			warns: []string{"旧地名：苍山县现为兰陵县（371324）", "旧区划代码：372823（临沂地区苍山县）现为兰陵县（371324）"}},
		{name: "崇文区, merged into 东城区 in 2010",
			data:  head + "崇文区,2009,rd_expenditure,1.5\n110103,2008,rd_expenditure,1.4\n",
			facts: map[string]float64{"110101|2009|rd_expenditure": 1.5, "110101|2008|rd_expenditure": 1.4},
			warns: []string{"旧地名：崇文区现为东城区（110101）", "旧区划代码：110103（北京市崇文区）现为东城区（110101）"}},
		{name: "a prefecture: 临沂地区 (372800, 临沂市 since 1994), found through its counties",
			data:  head + "临沂地区,1993,rd_expenditure,2.5\n372800,1992,rd_expenditure,2.4\n",
			facts: map[string]float64{"371300|1993|rd_expenditure": 2.5, "371300|1992|rd_expenditure": 2.4},
			warns: []string{"旧地名：临沂地区现为临沂市（371300）", "旧区划代码：372800（山东省临沂地区）现为临沂市（371300）"}},
		{name: "a chain: 沾化县 372325 → 371624 → 371603 沾化区",
			data:  head + "372325,1995,rd_expenditure,0.5\n",
			facts: map[string]float64{"371603|1995|rd_expenditure": 0.5},
			warns: []string{"旧区划代码：372325（滨州地区沾化县）现为沾化区（371603）"}},
		{name: "a chain through a hand-written note: 文登县 370632 → 371022 → 379011 → 371081 → 文登区",
			data:  head + "370632,1986,rd_expenditure,0.5\n",
			facts: map[string]float64{"371003|1986|rd_expenditure": 0.5},
			warns: []string{"现为文登区（371003）"}},
		{name: "a unit split: 石家庄市郊区 by code",
			data:   head + "130106,2000,rd_expenditure,1\n",
			errKey: "ambiguous_former_region 2 region_code", errHint: []string{"130102 长安区", "130108 裕华区", "请改用今天的区划代码"}},
		{name: "a unit split: 石家庄市郊区 by name",
			data:   head + "石家庄市郊区,2000,rd_expenditure,1\n",
			errKey: "ambiguous_former_region 2 region_code", errHint: []string{"石家庄市郊区（130106，2001年止）", "130104 桥西区"}},
		{name: "a generic name with its city",
			data:  head + "天津市南郊区,1991,rd_expenditure,0.8\n天津南郊区,1990,rd_expenditure,0.7\n",
			facts: map[string]float64{"120112|1991|rd_expenditure": 0.8, "120112|1990|rd_expenditure": 0.7},
			warns: []string{"旧地名：天津市南郊区现为津南区（120112）", "现为津南区（120112）"}},
		{name: "a generic name without its city",
			data:   head + "南郊区,1991,rd_expenditure,0.8\n",
			errKey: "ambiguous_former_region 2 region_code", errHint: []string{"天津市南郊区（120112，1992年止）→ 120112 津南区", "太原市南郊区", "大同市南郊区", "请改用今天的区划代码"}},
		{name: "a generic name the focus province decides: 济宁's 市郊区",
			data:  head + "市郊区,1992,rd_expenditure,0.8\n",
			facts: map[string]float64{"370811|1992|rd_expenditure": 0.8},
			warns: []string{"旧地名：市郊区现为任城区（370811）"}},
		{name: "current names win: 新市区 (保定 until 2015) is 乌鲁木齐's, 371324 is 兰陵县",
			data:  head + "新市区,2020,rd_expenditure,2\n371324,2020,rd_expenditure,3\n",
			facts: map[string]float64{"650104|2020|rd_expenditure": 2, "371324|2020|rd_expenditure": 3}},
		{name: "a current name shared by several units is not read as a former one: 市中区",
			data:   head + "市中区,2020,rd_expenditure,2\n",
			errKey: "unknown_region 2 region_code", errHint: []string{"370103 市中区", "370402 市中区"}},
		{name: "郊区 is still the name of three districts: never a former one",
			data:   head + "郊区,1999,rd_expenditure,0.8\n",
			errKey: "unknown_region 2 region_code", errHint: []string{"140311 郊区"}},
		{name: "a former name beside a code: the code decides a split unit",
			data: "region_code,region_name,period,indicator,value\n371324,苍山县,2013,rd_expenditure,3.5\n" +
				"130102,石家庄市郊区,2000,rd_expenditure,1\n372823,苍山县,2012,rd_expenditure,3.4\n",
			facts: map[string]float64{"371324|2013|rd_expenditure": 3.5, "130102|2000|rd_expenditure": 1, "371324|2012|rd_expenditure": 3.4},
			warns: []string{"旧地名：苍山县现为兰陵县", "按代码读作长安区（130102）", "旧区划代码：372823"}},
		{name: "a former name beside a code it did not become",
			data:   "region_code,region_name,period,indicator,value\n371302,苍山县,2013,rd_expenditure,3.5\n",
			errKey: "region_name_mismatch 2 region_name"},
	}
	cat := testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ParseWith(context.Background(), File{Name: "old.csv", Data: []byte(tt.data)}, cat, ReadOptions{})
			checkFormerBatch(t, b, tt.errKey, tt.errHint, tt.facts, tt.warns, func(i int) int { return i + 2 })
		})
	}
}

// TestFormerRegionsWide: the same in a county's wide sheet, where the
// sheet's title names the city a generic former name belongs to.
func TestFormerRegionsWide(t *testing.T) {
	tests := []struct {
		name    string
		rows    [][]any
		facts   map[string]float64
		warns   []string
		errKey  string
		errHint []string
	}{
		{name: "苍山县's former code beside its name",
			rows: [][]any{{"2013年各县区R&D经费投入情况"}, {"代码", "县区", "R&D经费内部支出（万元）"},
				{"372823", "苍山县", 35000}, {"371302", "兰山区", 250000}},
			facts: map[string]float64{"371324|2013|rd_expenditure": 3.5, "371302|2013|rd_expenditure": 25},
			warns: []string{"旧区划代码：372823（临沂地区苍山县）现为兰陵县（371324）"}},
		{name: "a former code alone",
			rows: [][]any{{"2013年各县区R&D经费投入情况"}, {"县区", "R&D经费内部支出（万元）"},
				{"372823", 35000}, {"兰山区", 250000}},
			facts: map[string]float64{"371324|2013|rd_expenditure": 3.5, "371302|2013|rd_expenditure": 25},
			warns: []string{"旧区划代码：372823"}},
		{name: "南郊区 under a title naming 天津市",
			rows: [][]any{{"1991年天津市各区县R&D经费投入情况"}, {"区县", "R&D经费内部支出（万元）"},
				{"南郊区", 8000}, {"红桥区", 9000}},
			facts: map[string]float64{"120112|1991|rd_expenditure": 0.8, "120106|1991|rd_expenditure": 0.9},
			warns: []string{"旧地名：南郊区现为津南区（120112）"}},
		{name: "南郊区 under a title naming no city",
			rows: [][]any{{"1991年各区县R&D经费投入情况"}, {"区县", "R&D经费内部支出（万元）"},
				{"南郊区", 8000}, {"红桥区", 9000}},
			errKey: "ambiguous_former_region 3 A", errHint: []string{"天津市南郊区（120112，1992年止）", "大同市南郊区（140211，2018年止）"}},
		{name: "市郊区 under 南宁's title: the title beats the focus province",
			rows: [][]any{{"2000年南宁市各县区R&D经费投入情况"}, {"县区", "R&D经费内部支出（万元）"},
				{"市郊区", 8000}},
			errKey: "ambiguous_former_region 3 A", errHint: []string{"南宁市市郊区（450111，2001年止）→ 450102 兴宁区"}},
	}
	cat := testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := xlsxBytes(t, sheetSpec{name: "Sheet1", rows: tt.rows})
			b := ParseWith(context.Background(), File{Name: "old.xlsx", Data: data}, cat, ReadOptions{})
			if e := b.Problems.Errors(); tt.errKey != "" && len(e) > 0 && (e[0].Sheet != "Sheet1" || e[0].Value != tt.rows[2][0] || e[0].Expected == "") {
				t.Errorf("error %+v, want the sheet, the value and what is expected", e[0])
			}
			checkFormerBatch(t, b, tt.errKey, tt.errHint, tt.facts, tt.warns, func(int) int { return 3 })
		})
	}
}

// TestFormerRegionsJSONParquet: the JSON and Parquet readers share the long
// rows' region look-up.
func TestFormerRegionsJSONParquet(t *testing.T) {
	type row struct{ region, period string }
	parquetOf := func(rows []row) []byte {
		schema := arrow.NewSchema([]arrow.Field{{Name: "region_code", Type: arrow.BinaryTypes.String},
			{Name: "period", Type: arrow.BinaryTypes.String}, {Name: "indicator", Type: arrow.BinaryTypes.String},
			{Name: "value", Type: arrow.PrimitiveTypes.Float64}}, nil)
		bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		defer bld.Release()
		for _, r := range rows {
			bld.Field(0).(*array.StringBuilder).Append(r.region)
			bld.Field(1).(*array.StringBuilder).Append(r.period)
			bld.Field(2).(*array.StringBuilder).Append("rd_expenditure")
			bld.Field(3).(*array.Float64Builder).Append(3.5)
		}
		rec := bld.NewRecordBatch()
		defer rec.Release()
		var buf bytes.Buffer
		tbl := array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
		defer tbl.Release()
		if err := pqarrow.WriteTable(tbl, &buf, 1024, nil, pqarrow.DefaultWriterProps()); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	jsonOf := func(rows []row) []byte {
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(`{"region_code": "` + r.region + `", "period": "` + r.period + `", "indicator": "rd_expenditure", "value": 3.5}` + "\n")
		}
		return []byte(b.String())
	}
	good := []row{{"苍山县", "2013"}, {"372823", "2012"}}
	bad := []row{{"130106", "2000"}}
	cat := testCatalog(t)
	for _, f := range []struct {
		name string
		of   func([]row) []byte
	}{{"old.parquet", parquetOf}, {"old.ndjson", jsonOf}} {
		t.Run(f.name, func(t *testing.T) {
			b := ParseWith(context.Background(), File{Name: f.name, Data: f.of(good)}, cat, ReadOptions{})
			got := factValues(b)
			if errs := b.Problems.Errors(); len(errs) > 0 || got["371324|2013|rd_expenditure"] != 3.5 || got["371324|2012|rd_expenditure"] != 3.5 {
				t.Fatalf("facts %v, errors %v; want both rows as 371324", got, errs)
			}
			if w := b.Problems.Warnings(); len(w) != 2 || w[0].Key != "former_region_name" || w[1].Key != "former_region_name" {
				t.Errorf("warnings %v, want two former_region_name", w)
			}
			b = ParseWith(context.Background(), File{Name: f.name, Data: f.of(bad)}, cat, ReadOptions{})
			// Row 1: Parquet and JSON count records, without a header.
			if got := firstError(b); got != "ambiguous_former_region 1 region_code" {
				t.Errorf("first error %q, want ambiguous_former_region on record 1 (all: %v)", got, b.Problems)
			}
		})
	}
}

// TestEmbeddedFormerRegions: the generated table parses, and every
// successor is a region of today in the catalog the migrations build.
func TestEmbeddedFormerRegions(t *testing.T) {
	tab := formerRegions()
	if len(tab.units) < 3000 {
		t.Fatalf("%d former units, want the national history (3,600)", len(tab.units))
	}
	cat := testCatalog(t)
	for _, u := range tab.units {
		for _, s := range u.succ {
			r, err := cat.Region(s)
			if err != nil || r.ValidTo != 0 {
				t.Errorf("%s %s → %s: %v (valid to %d), want a region of today", u.code, u.name, s, err, r.ValidTo)
			}
		}
		if u.code != "" {
			if r, err := cat.Region(u.code); err == nil && r.Name == u.name && r.ValidTo == 0 {
				t.Errorf("%s %s is a region of today, not a former one", u.code, u.name)
			}
		}
	}
	// A row checked by hand against result.csv: 372823,山东省,临沂地区,苍山县,县级,弃用,1981,1994,371324.
	if us := tab.byCode["372823"]; len(us) != 1 || tab.units[us[0]].name != "苍山县" || tab.units[us[0]].to != 1994 ||
		strings.Join(tab.units[us[0]].succ, ";") != "371324" {
		t.Errorf("372823: %v", us)
	}
}

// BenchmarkFormerRegion is the cost of a value the catalog does not know:
// the long readers look each distinct value up once per worker.
func BenchmarkFormerRegion(b *testing.B) {
	cat := testCatalog(b)
	b.Run("parse the table (once per process)", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := parseFormerRegions(formerRegionsCSV); err != nil {
				b.Fatal(err)
			}
		}
	})
	formerRegions()
	for _, v := range []string{"苍山县", "372823", "泰安市郊区", "郊区", "不存在的县"} {
		b.Run(v, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				regionByFormer(cat, v, "1999年各县区R&D经费投入情况", "Sheet1", "old.xlsx")
			}
		})
	}
}

// TestFormerRegionsBlocks: the warning is said once per value, on its first
// row, whatever the number of workers and blocks (FuzzReadCSV's invariant).
func TestFormerRegionsBlocks(t *testing.T) {
	cat := testCatalog(t)
	data := []byte("region_code,period,indicator,value\n苍山县,2013,rd_expenditure,1\n371302,2013,rd_expenditure,1\n" +
		"苍山县,2012,rd_expenditure,1\n苍山县,2011,rd_expenditure,1\n130106,2000,rd_expenditure,1\n130106,2001,rd_expenditure,1\n")
	ctx := context.Background()
	one := readCSV(ctx, "f.csv", bytes.NewReader(data), cat, ReadOptions{Workers: 1})
	var got []string
	for _, p := range one.Problems {
		got = append(got, fmt.Sprintf("%s %d", p.Key, p.Row))
	}
	if want := []string{"former_region_name 2", "ambiguous_former_region 6", "ambiguous_former_region 7"}; !cmp.Equal(got, want) {
		t.Errorf("problems %v, want %v", got, want)
	}
	blocks := readCSV(ctx, "f.csv", bytes.NewReader(data), cat, ReadOptions{Workers: 3, blockSize: 16})
	if d := cmp.Diff(one.Problems, blocks.Problems); d != "" {
		t.Errorf("problems differ with 16-byte blocks:\n%s", d)
	}
}

// checkFormerBatch checks a parsed batch against a former-region case: the
// first error's key and hint, or the facts and one former_region_name
// warning per wanted substring, on the row warnRow gives.
func checkFormerBatch(t *testing.T, b *Batch, errKey string, errHint []string, facts map[string]float64, warns []string, warnRow func(i int) int) {
	t.Helper()
	if got := firstError(b); got != errKey {
		t.Fatalf("first error %q, want %q (all: %v)", got, errKey, b.Problems)
	}
	if errKey != "" {
		hint := b.Problems.Errors()[0].Hint
		for _, h := range errHint {
			if !strings.Contains(hint, h) {
				t.Errorf("hint %q lacks %q", hint, h)
			}
		}
		return
	}
	got := factValues(b)
	if len(got) != len(facts) {
		t.Errorf("facts %v, want %v", got, facts)
	}
	for k, want := range facts {
		if got[k] != want {
			t.Errorf("%s = %v, want %v (facts %v)", k, got[k], want, got)
		}
	}
	w := b.Problems.Warnings()
	if len(w) != len(warns) {
		t.Fatalf("warnings %v, want %d", w, len(warns))
	}
	for i, want := range warns {
		if w[i].Key != formerRegionKey || w[i].Row != warnRow(i) || !strings.Contains(w[i].Message, want) {
			t.Errorf("warning %d = %v, want %s on row %d saying %q", i, w[i], formerRegionKey, warnRow(i), want)
		}
	}
}

package pipelines

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linyi-sti/innowatch/pipelines/sample"
	"github.com/linyi-sti/innowatch/pipelines/synth"
)

func csvFile(name string, rows ...string) File {
	return File{Name: name, Data: []byte("region_code,period,indicator,value,unit,status\n" + strings.Join(rows, "\n") + "\n")}
}

var testNow = func() time.Time { return time.Date(2020, 12, 15, 9, 0, 0, 0, time.UTC) }

// errorsOf lists "key row" of every error of a result.
func errorsOf(r LoadResult) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, p.Key+" "+itoa(p.Row))
	}
	return out
}

// TestPlausibility reproduces item 5: figures that parse but cannot be right
// (a county R&D spend of 31,250 亿元 next to a GDP of 500) loaded silently.
// Each case loads its warehouse files, then ingests the file under test.
func TestPlausibility(t *testing.T) {
	tests := []struct {
		name      string
		before    []File // loaded first (must load)
		file      File
		accept    []string
		want      []string // errors "key row"; nil = loads
		wantInMsg string   // a text the first problem's message, expected or hint must contain
	}{
		{name: "R&D above GDP in the file",
			file: csvFile("a.csv", "371302,2020,rd_expenditure,31250,亿元,final", "371302,2020,gdp,500,亿元,final"),
			want: []string{"part_exceeds_whole 2"}, wantInMsg: "地区生产总值"},
		{name: "R&D above GDP in the warehouse",
			before: []File{csvFile("gdp.csv", "371302,2020,gdp,500,亿元,final")},
			file:   csvFile("rd.csv", "371302,2020,rd_expenditure,600,亿元,final"),
			want:   []string{"part_exceeds_whole 2"}, wantInMsg: "仓库"},
		{name: "GDP in the file below the warehouse's R&D",
			before: []File{csvFile("rd.csv", "371302,2020,rd_expenditure,600,亿元,final")},
			file:   csvFile("gdp.csv", "371302,2020,gdp,500,亿元,final"),
			want:   []string{"part_exceeds_whole 2"}},
		{name: "high-tech output above industrial output",
			file: csvFile("h.csv", "371302,2020-10,hitech_output,320,亿元,", "371302,2020-10,industrial_output,300,亿元,"),
			want: []string{"part_exceeds_whole 2"}},
		{name: "county above its city",
			file: csvFile("c.csv", "371302,2020-10,hitech_enterprises,700,家,", "371300,2020-10,hitech_enterprises,630,家,"),
			want: []string{"part_exceeds_whole 2"}, wantInMsg: "临沂市"},
		{name: "city in the file below a county in the warehouse",
			before: []File{csvFile("county.csv", "371302,2020-10,hitech_output,120,亿元,")},
			file:   csvFile("city.csv", "371300,2020-10,hitech_output,100,亿元,"),
			want:   []string{"part_exceeds_whole 2"}, wantInMsg: "兰山区"},
		{name: "parts within rounding load",
			file: csvFile("ok.csv", "371302,2020,rd_expenditure,500.2,亿元,final", "371302,2020,gdp,500,亿元,final")},
		{name: "stated ratio disagrees with its parts",
			file: csvFile("r.csv", "371302,2020,rd_expenditure,10,亿元,final", "371302,2020,gdp,500,亿元,final", "371302,2020,rd_intensity,5,%,final"),
			want: []string{"ratio_mismatch 4"}, wantInMsg: "≈ 2 %"},
		{name: "stated ratio within rounding loads",
			file: csvFile("r.csv", "371302,2020,rd_expenditure,10.04,亿元,final", "371302,2020,gdp,500,亿元,final", "371302,2020,rd_intensity,2.01,%,final")},
		{name: "10,000× a year earlier names 万元 and 亿元",
			before: []File{csvFile("2019.csv", "371302,2019,rd_expenditure,25,亿元,final")},
			file:   csvFile("2020.csv", "371302,2020,rd_expenditure,250000,亿元,final"),
			want:   []string{"implausible_jump 2"}, wantInMsg: "万元"},
		{name: "1/10 of a year earlier in the same file",
			file: csvFile("y.csv", "371302,2019,gdp,500,亿元,final", "371302,2020,gdp,48,亿元,final"),
			want: []string{"implausible_jump 3"}},
		{name: "10× the previous month's year-to-date",
			file: csvFile("m.csv", "371302,2020-09,tech_contract_turnover,10,亿元,", "371302,2020-10,tech_contract_turnover,100000,亿元,"),
			want: []string{"implausible_jump 3"}},
		{name: "February against January's year-to-date may rise",
			file: csvFile("f.csv", "371302,2020-01,tech_contract_turnover,1,亿元,", "371302,2020-02,tech_contract_turnover,12,亿元,")},
		{name: "a small year-to-date count may rise from February to March (simulated national data)",
			file: csvFile("k.csv", "130100,2011-02,key_tech_breakthroughs,1,项,", "130100,2011-03,key_tech_breakthroughs,13,项,")},
		{name: "a count typed with an extra digit",
			file: csvFile("t.csv", "371302,2020-09,hitech_enterprises,120,家,", "371302,2020-10,hitech_enterprises,1200,家,"),
			want: []string{"implausible_jump 3"}},
		{name: "small counts may change a lot",
			file: csvFile("s.csv", "371302,2019-12,incubators,1,家,", "371302,2020-12,incubators,9,家,")},
		{name: "a share written as a fraction",
			before: []File{csvFile("s2019.csv", "371302,2019-10,hitech_output_share,45,%,")},
			file:   csvFile("s2020.csv", "371302,2020-10,hitech_output_share,0.46,%,"),
			want:   []string{"implausible_jump 2"}, wantInMsg: "百分数"},
		{name: "a period after today",
			file: csvFile("future.csv", "371302,2021-03,hitech_enterprises,120,家,"),
			want: []string{"future_period 2"}},
		{name: "accepted jump loads with its reason",
			before: []File{csvFile("2019.csv", "371302,2019,rd_expenditure,2.5,亿元,final")},
			file:   csvFile("2020.csv", "371302,2020,rd_expenditure,30,亿元,final"),
			accept: []string{"implausible_jump:兰山区:rd_expenditure=新增两个大项目，县统计局已核实"}},
		{name: "an accept for another region does not apply",
			before: []File{csvFile("2019.csv", "371302,2019,rd_expenditure,2.5,亿元,final")},
			file:   csvFile("2020.csv", "371302,2020,rd_expenditure,30,亿元,final"),
			accept: []string{"implausible_jump:371311=罗庄区的理由"},
			want:   []string{"implausible_jump 2"}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, cat := testWarehouse(t)
			l := &Loader{DB: db, Now: testNow}
			opt := Options{Now: testNow}
			for _, f := range tt.before {
				if res, err := Ingest(ctx, l, cat, 1, []File{f}, opt); err != nil {
					t.Fatalf("loading %s first: %v %v", f.Name, err, res[0].Problems)
				}
			}
			for _, s := range tt.accept {
				a, err := ParseAccept(s, cat)
				if err != nil {
					t.Fatal(err)
				}
				opt.Accept = append(opt.Accept, &a)
			}
			res, _ := Ingest(ctx, l, cat, 2, []File{tt.file}, opt)
			got := errorsOf(res[0])
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("errors %v, want %v (problems: %v)", got, tt.want, res[0].Problems)
			}
			if tt.want == nil && res[0].Status != Loaded {
				t.Fatalf("status %s, want loaded", res[0].Status)
			}
			if tt.wantInMsg != "" {
				p := res[0].Problems[0]
				if !strings.Contains(p.Message+p.Expected+p.Hint, tt.wantInMsg) {
					t.Errorf("problem %s does not mention %q", p, tt.wantInMsg)
				}
			}
			if len(tt.accept) > 0 && tt.want == nil {
				var reason, key, region string
				if err := db.SQL().QueryRow(`SELECT reason, key, region_code FROM load_accepts WHERE load_id = ?`, res[0].LoadID).
					Scan(&reason, &key, &region); err != nil {
					t.Fatalf("accepted problem not stored: %v", err)
				}
				if reason != "新增两个大项目，县统计局已核实" || key != "implausible_jump" || region != "371302" {
					t.Errorf("stored accept %s %s %s", key, region, reason)
				}
			}
		})
	}
}

// TestPlausibleSampleAndSynth: the built-in sample data and simulated
// province data load with no accept needed (a false positive would be a bug).
func TestPlausibleSampleAndSynth(t *testing.T) {
	ctx := context.Background()
	db, cat := testWarehouse(t)
	l := &Loader{DB: db, Now: time.Now}
	files, err := FilesFromFS(sample.FS(), "sample:")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Ingest(ctx, l, cat, 1, files, Options{Now: testNow})
	if err != nil {
		for _, r := range res {
			t.Errorf("%s: %s %v", r.File, r.Status, r.Problems)
		}
		t.Fatal(err)
	}
	// Simulated province data in its own warehouse: two years first, then
	// the same seed to 2020 (overlapping years equal, 2020 compared with the
	// warehouse's 2019).
	db, cat = testWarehouse(t)
	l = &Loader{DB: db, Now: time.Now}
	gen := func(toYear, years int) []byte {
		var buf bytes.Buffer
		if _, err := synth.Generate(&buf, cat.Regions(), synth.Options{Scale: synth.ScaleProvince, Province: "370000", Seed: 7, ToYear: toYear, Years: years}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if res, err := Ingest(ctx, l, cat, 2, []File{{Name: "facts_province_2019.csv", Data: gen(2019, 2)}}, Options{Now: testNow}); err != nil {
		t.Fatalf("%v %v", err, res[0].Problems)
	}
	buf := bytes.NewBuffer(gen(2020, 3))
	res, err = Ingest(ctx, l, cat, 3, []File{{Name: "facts_province.csv", Data: buf.Bytes()}}, Options{Now: testNow})
	if err != nil {
		t.Fatalf("%v %v", err, res[0].Problems)
	}
}

// TestProvisionalAfterFinal reproduces item 6: a late provisional (初步)
// figure replaced a final (核实) one without a word.
func TestProvisionalAfterFinal(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name      string
		accept    string
		wantValue float64
		wantWarn  bool
	}{
		{name: "final kept with a warning", wantValue: 25, wantWarn: true},
		{name: "accepted: the provisional figure is written", accept: "provisional_after_final:371302=县里更正了口径", wantValue: 26, wantWarn: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, cat := testWarehouse(t)
			l := &Loader{DB: db, Now: testNow}
			opt := Options{Now: testNow}
			if _, err := Ingest(ctx, l, cat, 1, []File{csvFile("final.csv", "371302,2019,rd_expenditure,25,亿元,final")}, opt); err != nil {
				t.Fatal(err)
			}
			if tt.accept != "" {
				a, err := ParseAccept(tt.accept, cat)
				if err != nil {
					t.Fatal(err)
				}
				opt.Accept = []*Accept{&a}
			}
			res, err := Ingest(ctx, l, cat, 2, []File{csvFile("late.csv", "371302,2019,rd_expenditure,26,亿元,provisional",
				"371302,2019,gdp,500,亿元,provisional")}, opt)
			if err != nil {
				t.Fatal(err)
			}
			var v float64
			var st string
			if err := db.SQL().QueryRow(`SELECT value, status FROM facts WHERE region_code = '371302' AND period = '2019'
				AND indicator = 'rd_expenditure' ORDER BY vintage DESC LIMIT 1`).Scan(&v, &st); err != nil {
				t.Fatal(err)
			}
			if v != tt.wantValue {
				t.Errorf("latest value %v (%s), want %v", v, st, tt.wantValue)
			}
			warned := false
			for _, w := range res[0].Warnings {
				warned = warned || w.Key == "provisional_after_final" && w.Row == 2 && w.Expected == "核实数 25（仓库中的最新版本）"
			}
			if warned != tt.wantWarn || res[0].New != 1 {
				t.Errorf("warned %v, want %v; %d new (gdp), warnings %v", warned, tt.wantWarn, res[0].New, res[0].Warnings)
			}
			var accepted int
			db.SQL().QueryRow(`SELECT count(*) FROM load_accepts WHERE key = 'provisional_after_final' AND reason = '县里更正了口径'`).Scan(&accepted)
			if want := map[bool]int{true: 1}[tt.accept != ""]; accepted != want {
				t.Errorf("%d accepted rows stored, want %d", accepted, want)
			}
		})
	}
}

// TestCrossFileConflict reproduces item 7: two files of one command stating
// the same fact differently — the last won silently. Both are refused,
// each naming the other file and its row; a third file that agrees loads.
func TestCrossFileConflict(t *testing.T) {
	ctx := context.Background()
	db, cat := testWarehouse(t)
	l := &Loader{DB: db, Now: testNow}
	res, err := Ingest(ctx, l, cat, 1, []File{
		csvFile("county.csv", "371302,2020-10,hitech_enterprises,120,家,", "371311,2020-10,hitech_enterprises,60,家,"),
		csvFile("bureau.csv", "371311,2020-10,hitech_enterprises,60,家,", "371302,2020-10,hitech_enterprises,126,家,"),
		csvFile("other.csv", "371312,2020-10,hitech_enterprises,45,家,"),
	}, Options{Now: testNow})
	if err == nil {
		t.Fatal("no error")
	}
	var got []string
	for _, r := range res {
		got = append(got, r.File+":"+r.Status)
	}
	if strings.Join(got, " ") != "county.csv:refused bureau.csv:refused other.csv:loaded" {
		t.Fatalf("statuses %v", got)
	}
	p := res[0].Problems[0]
	if p.Key != "cross_file_conflict" || p.Row != 2 || p.Value != "120" || !strings.Contains(p.Expected, "bureau.csv 第3行 的 126") {
		t.Errorf("county.csv problem %s", p)
	}
	q := res[1].Problems[0]
	if q.Row != 3 || !strings.Contains(q.Expected, "county.csv 第2行 的 120") {
		t.Errorf("bureau.csv problem %s", q)
	}
}

// TestLoadIdentity reproduces item 8: the same bytes with a corrected
// --period said "unchanged, nothing to do" and kept the wrong facts; a
// --period contradicting the title must be refused even for bytes seen before.
func TestLoadIdentity(t *testing.T) {
	ctx := context.Background()
	db, cat := testWarehouse(t)
	l := &Loader{DB: db, Now: testNow}
	data := xlsxBytes(t, sheetSpec{name: "Sheet1", rows: [][]any{{"各县区科技创新主要指标"}, {"县区", "高新技术企业数（家）"}, {"兰山区", 120}}})
	f := File{Name: "no_period.xlsx", Data: data}
	p9, p10 := mustPeriod("2020-09"), mustPeriod("2020-10")
	if _, err := Ingest(ctx, l, cat, 1, []File{f}, Options{Now: testNow, Read: ReadOptions{Period: &p9}}); err != nil {
		t.Fatal(err)
	}
	res, err := Ingest(ctx, l, cat, 2, []File{f}, Options{Now: testNow, Read: ReadOptions{Period: &p9}})
	if err != nil || res[0].Status != Unchanged {
		t.Fatalf("same bytes, same options: %s %v", res[0].Status, err)
	}
	res, err = Ingest(ctx, l, cat, 3, []File{f}, Options{Now: testNow, Read: ReadOptions{Period: &p10}})
	if err != nil || res[0].Status != Loaded || res[0].New != 1 {
		t.Fatalf("corrected --period: %s, %d new, %v; want loaded", res[0].Status, res[0].New, err)
	}
	var opts string
	if err := db.SQL().QueryRow(`SELECT options FROM load_options WHERE load_id = ?`, res[0].LoadID).Scan(&opts); err != nil || opts != "period=2020-10" {
		t.Errorf("options stored %q (%v)", opts, err)
	}
	// Bytes with a title period, loaded once; then with a contradicting --period.
	titled := File{Name: "titled.xlsx", Data: xlsxBytes(t, sheetSpec{name: "Sheet1",
		rows: [][]any{{"2020年1-10月各县区科技创新主要指标"}, {"县区", "高新技术企业数（家）"}, {"罗庄区", 60}}})}
	if _, err := Ingest(ctx, l, cat, 4, []File{titled}, Options{Now: testNow}); err != nil {
		t.Fatal(err)
	}
	res, _ = Ingest(ctx, l, cat, 5, []File{titled}, Options{Now: testNow, Read: ReadOptions{Period: &p9}})
	if res[0].Status != Refused || res[0].Problems[0].Key != "period_conflict" {
		t.Errorf("contradicting --period: %s %v, want refused (period_conflict)", res[0].Status, res[0].Problems)
	}
}

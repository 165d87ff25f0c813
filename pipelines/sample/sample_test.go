package sample

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The tests read the CSVs back as a loader would and check every property
// the README promises, for the default seed and for other seeds.

var otherSeeds = []int64{1, 7, 98765}

func TestEmbeddedMatchesGenerate(t *testing.T) {
	want, err := Generate(DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(FS(), "*")
	if err != nil {
		t.Fatal(err)
	}
	if got, wantNames := names, []string{FileAnnual, FileMonthly, FileTargets}; !slices.Equal(got, wantNames) {
		t.Fatalf("embedded files: got %v, want %v", got, wantNames)
	}
	for _, name := range names {
		got, err := fs.ReadFile(FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want[name]) {
			t.Errorf("%s: embedded file differs from Generate(DefaultSeed) at line %d; run `go generate ./pipelines/sample`",
				name, firstDiffLine(got, want[name]))
		}
	}
	if len(want) != len(names) {
		t.Errorf("Generate returned %d files, want %d", len(want), len(names))
	}
}

func firstDiffLine(a, b []byte) int {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}

func TestGenerateDeterministic(t *testing.T) {
	for _, seed := range append([]int64{DefaultSeed}, otherSeeds...) {
		a, err := Generate(seed)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		b, err := Generate(seed)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for name := range a {
			if !bytes.Equal(a[name], b[name]) {
				t.Errorf("seed %d: %s differs between two runs", seed, name)
			}
		}
	}
	def, _ := Generate(DefaultSeed)
	other, _ := Generate(otherSeeds[0])
	for _, name := range []string{FileAnnual, FileMonthly} {
		if bytes.Equal(def[name], other[name]) {
			t.Errorf("%s: seeds %d and %d give the same bytes", name, DefaultSeed, otherSeeds[0])
		}
	}
	if got, want := string(other[FileTargets]), string(def[FileTargets]); got != want {
		t.Errorf("targets depend on the seed; they are policy figures:\n%s", cmp.Diff(want, got))
	}
}

func TestFileShape(t *testing.T) {
	for _, seed := range append([]int64{DefaultSeed}, otherSeeds...) {
		files, err := Generate(seed)
		if err != nil {
			t.Fatal(err)
		}
		for name, b := range files {
			if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || bytes.Contains(b, []byte("\r")) || !bytes.HasSuffix(b, []byte("\n")) {
				t.Errorf("seed %d %s: want UTF-8 without BOM, \\n line ends, final newline", seed, name)
			}
		}
	}
}

func TestTargets(t *testing.T) {
	got := readCSV(t, FileTargets, mustFile(t, FileTargets))
	src := "临政字〔2020〕41号"
	want := [][]string{
		{"region_code", "year", "indicator", "target_kind", "target_value", "target_max", "baseline_period", "description_zh", "source"},
		{"371300", "2020", "achievements_transferred", "ytd_count", "200", "", "", "引进转化先进科技成果200项以上", src},
		{"371300", "2020", "hitech_enterprises", "net_increase", "100", "", "2019-12", "净增高新技术企业100家以上", src},
		{"371300", "2020", "hitech_enterprises", "total", "630", "", "", "高新技术企业总数达到630家以上", src},
		{"371300", "2020", "hitech_output_share", "point_increase", "1", "", "2019-12", "高新技术产业产值占比提高1个百分点以上", src},
		{"371300", "2020", "incubation_area", "total", "210", "", "", "孵化面积达到210万平方米以上", src},
		{"371300", "2020", "incubators", "new_count", "5", "", "2019-12", "新备案省级以上科技企业孵化器、众创空间5家以上", src},
		{"371300", "2020", "key_tech_breakthroughs", "ytd_count", "100", "", "", "攻克“卡脖子”技术难题100项以上", src},
		{"371300", "2020", "platforms", "new_count", "60", "", "2019-12", "新增省级以上平台60个以上", src},
		{"371300", "2020", "rd_intensity", "above_province", "", "", "2019", "全社会R&D投入占比持续增高，确保超过全省平均水平", src},
		{"371300", "2020", "star_market_listings", "count_this_year", "1", "2", "2019-12", "争取2020年有1-2家企业在科创板上市", src},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("targets.csv (-want +got):\n%s", diff)
	}
}

func mustFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The tiny CSV reader: records of a file, header included.
func readCSV(t *testing.T, name string, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

type key struct{ region, period, indicator string }

// dataset is the facts of both files in catalog units, as a loader reads
// them (万元 converted to 亿元); missing values are kept apart with their note.
type dataset struct {
	rows    map[key][]string
	val     map[key]float64
	missing map[key]string
}

func load(t *testing.T, files map[string][]byte) *dataset {
	t.Helper()
	d := &dataset{rows: map[key][]string{}, val: map[key]float64{}, missing: map[key]string{}}
	for _, name := range []string{FileAnnual, FileMonthly} {
		recs := readCSV(t, name, files[name])
		if got, want := recs[0], factsHeader; !slices.Equal(got, want) {
			t.Fatalf("%s header: got %v, want %v", name, got, want)
		}
		for i, r := range recs[1:] {
			k := key{r[0], r[1], r[2]}
			if _, dup := d.rows[k]; dup {
				t.Errorf("%s line %d: duplicate %v", name, i+2, k)
			}
			d.rows[k] = r
			if r[3] == "" {
				d.missing[k] = r[6]
				continue
			}
			v, err := strconv.ParseFloat(r[3], 64)
			if err != nil {
				t.Errorf("%s line %d: value %q: %v", name, i+2, r[3], err)
				continue
			}
			if r[4] == "万元" {
				v /= 10000
			}
			d.val[k] = v
		}
	}
	return d
}

// get returns a present value or fails the test.
func (d *dataset) get(t *testing.T, region, period, indicator string) float64 {
	t.Helper()
	v, ok := d.val[key{region, period, indicator}]
	if !ok {
		t.Fatalf("no value for %s %s %s", region, period, indicator)
	}
	return v
}

func (d *dataset) ratio(t *testing.T, region, period, num, den string) float64 {
	t.Helper()
	return d.get(t, region, period, num) / d.get(t, region, period, den) * 100
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// forSeeds runs f on the files of the default seed and of the other seeds.
func forSeeds(t *testing.T, f func(t *testing.T, d *dataset)) {
	for _, seed := range append([]int64{DefaultSeed}, otherSeeds...) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			files, err := Generate(seed)
			if err != nil {
				t.Fatal(err)
			}
			f(t, load(t, files))
		})
	}
}

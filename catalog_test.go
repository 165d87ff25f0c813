package innowatch

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func testCatalog() *Catalog {
	zero, hundred := 0.0, 100.0
	return NewCatalog(
		[]Indicator{
			{Code: "rd_expenditure", NameZH: "R&D经费内部支出", NameEN: "R&D expenditure", Unit: "亿元", Kind: KindAmount,
				Min: &zero, Units: map[string]float64{"亿元": 1, "万元": 0.0001}},
			{Code: "hitech_output_share", NameZH: "高新技术产业产值占比", NameEN: "High-tech share", Unit: "%", Kind: KindRatio,
				Min: &zero, Max: &hundred, Numerator: "hitech_output", Denominator: "industrial_output", Scale: 100},
			{Code: "incubation_area", NameZH: "孵化面积", NameEN: "Incubation floor area", Unit: "万平方米", Kind: KindAmount,
				Units: map[string]float64{"万平方米": 1, "平方米": 0.0001}},
		},
		[]Region{
			{Code: "371300", Name: "临沂市", ShortName: "临沂", Level: LevelCity, Parent: "370000"},
			{Code: "371302", Name: "兰山区", ShortName: "兰山", Level: LevelCounty, Parent: "371300"},
			{Code: "371311", Name: "罗庄区", ShortName: "罗庄", Level: LevelCounty, Parent: "371300"},
			{Code: "371371", Name: "临沂高新技术产业开发区", ShortName: "临沂高新区", Level: LevelZone, Parent: "371300"},
			{Code: "370371", Name: "淄博高新技术产业开发区", ShortName: "淄博高新区", Level: LevelZone, Parent: "370300"},
			{Code: "371372", Name: "临沂经济技术开发区", Level: LevelZone, Parent: "371300", ValidTo: 2019},
			{Code: "371312", Name: "河东区", Level: LevelCounty, Parent: "371300"},
			{Code: "120102", Name: "河东区", Level: LevelCounty, Parent: "120000"},
			{Code: "370000", Name: "山东省", Level: LevelProvince},
		},
		map[string][]string{"高新区": {"371371", "370371"}, "临沂高新区": {"371371"}},
		map[string]string{"R&D经费支出": "rd_expenditure"},
	)
}

func TestRegionByName(t *testing.T) {
	c := testCatalog()
	tests := []struct {
		name     string
		want     string
		wantHint string
	}{
		{name: "兰山区", want: "371302"},
		{name: "兰山", want: "371302"},
		{name: " 兰 山 区 ", want: "371302"},
		{name: "临沂高新区", want: "371371"},
		{name: "高新区", wantHint: "370371 淄博高新技术产业开发区, 371371 临沂高新技术产业开发区"}, // ambiguous: never guessed
		{name: "兰山县", wantHint: "兰山区"}, // unknown: closest names
		{name: "罗庄", want: "371311"},
		{name: "河东区", wantHint: "120102 河东区, 371312 河东区"}, // no focus: ambiguous
	}
	for _, tt := range tests {
		r, err := c.RegionByName(tt.name)
		if tt.wantHint != "" {
			if !errors.Is(err, ErrUnknownRegion) || !strings.Contains(HintOf(err), tt.wantHint) {
				t.Errorf("RegionByName(%q) = %v, %v (hint %q); want an error hinting %q", tt.name, r.Code, err, HintOf(err), tt.wantHint)
			}
			continue
		}
		if err != nil || r.Code != tt.want {
			t.Errorf("RegionByName(%q) = %q, %v; want %q", tt.name, r.Code, err, tt.want)
		}
	}
}

func TestIndicatorLookups(t *testing.T) {
	c := testCatalog()
	for _, name := range []string{"rd_expenditure", "R&D经费内部支出", "r&d expenditure", "R&D经费支出"} {
		if in, err := c.IndicatorByName(name); err != nil || in.Code != "rd_expenditure" {
			t.Errorf("IndicatorByName(%q) = %q, %v", name, in.Code, err)
		}
	}
	_, err := c.Indicator("rd_expenditur")
	if !errors.Is(err, ErrUnknownIndicator) || !strings.Contains(HintOf(err), "rd_expenditure") {
		t.Errorf("Indicator(typo) = %v (hint %q); want unknown with the closest code", err, HintOf(err))
	}
	if in, _ := c.Indicator("hitech_output_share"); !in.Derived() {
		t.Error("hitech_output_share should be derived from its parts")
	}
	if in, _ := c.Indicator("rd_expenditure"); in.Derived() {
		t.Error("rd_expenditure is not derived")
	}
}

func TestConvertAndRange(t *testing.T) {
	c := testCatalog()
	rd, _ := c.Indicator("rd_expenditure")
	area, _ := c.Indicator("incubation_area")
	share, _ := c.Indicator("hitech_output_share")
	tests := []struct {
		in      Indicator
		v       float64
		unit    string
		want    float64
		wantErr error
	}{
		{rd, 12345, "万元", 1.2345, nil}, // 12,345 万元 = 1.2345 亿元
		{rd, 3.5, "", 3.5, nil},        // no unit: the catalog unit
		{rd, 3.5, "亿元", 3.5, nil},
		{area, 2100000, "平方米", 210, nil}, // 2,100,000 ㎡ = 210 万㎡
		{rd, 1, "家", 0, ErrUnknownUnit},
		{share, 45.6, "%", 45.6, nil},
	}
	for _, tt := range tests {
		got, err := c.Convert(tt.in, tt.v, tt.unit)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("Convert(%s, %v %s) error = %v, want %v", tt.in.Code, tt.v, tt.unit, err, tt.wantErr)
			continue
		}
		if err == nil && math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Convert(%s, %v %s) = %v, want %v", tt.in.Code, tt.v, tt.unit, got, tt.want)
		}
	}
	for _, v := range []float64{-0.1, 100.1, math.NaN(), math.Inf(1)} {
		if err := share.CheckRange(v); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("share %v: CheckRange = %v, want out of range", v, err)
		}
	}
	for _, v := range []float64{0, 45.6, 100} {
		if err := share.CheckRange(v); err != nil {
			t.Errorf("share %v: CheckRange = %v, want nil", v, err)
		}
	}
}

func TestMissingMarkers(t *testing.T) {
	for _, s := range []string{"", " ", "—", "－", "-", "…", "/", "空", "——", "……"} {
		if !IsMissingMarker(s) {
			t.Errorf("%q should mean not reported", s)
		}
	}
	for _, s := range []string{"0", "0.0", "12", "无"} {
		if IsMissingMarker(s) {
			t.Errorf("%q must not be read as missing", s)
		}
	}
}

func TestRegionValidIn(t *testing.T) {
	r := Region{Code: "371372", ValidTo: 2019}
	if !r.ValidIn(2019) || r.ValidIn(2020) {
		t.Errorf("371372 valid to 2019: ValidIn(2019)=%v ValidIn(2020)=%v", r.ValidIn(2019), r.ValidIn(2020))
	}
}

func TestRegionByNameWithinFocus(t *testing.T) {
	c := testCatalog()
	c.SetFocus("370000")
	if r, err := c.RegionByName("河东区"); err != nil || r.Code != "371312" {
		t.Errorf("with focus Shandong, 河东区 = %q, %v; want 371312", r.Code, err)
	}
	// The focus never turns an unknown name into a known one.
	if _, err := c.RegionByName("河西区"); !errors.Is(err, ErrUnknownRegion) {
		t.Errorf("河西区: err = %v, want unknown", err)
	}
}

// TestKnowsRegionNameAndInFocus: a name shared by several regions is still
// a known name (never read as a former one); InFocus needs a focus.
func TestKnowsRegionNameAndInFocus(t *testing.T) {
	c := testCatalog()
	if _, err := c.RegionByName("河东区"); err == nil {
		t.Fatal("河东区 without a focus should be ambiguous in the test catalog")
	}
	for name, want := range map[string]bool{"河东区": true, " 兰山 ": true, "临沂": true, "苍山县": false, "": false} {
		if got := c.KnowsRegionName(name); got != want {
			t.Errorf("KnowsRegionName(%q) = %v, want %v", name, got, want)
		}
	}
	if c.InFocus("371302") {
		t.Error("InFocus without a focus = true")
	}
	c.SetFocus("370000")
	if !c.InFocus("371302") || c.InFocus("120102") {
		t.Errorf("InFocus(371302) = %v, InFocus(120102) = %v; want true, false", c.InFocus("371302"), c.InFocus("120102"))
	}
}

func TestLazyCatalogLoadsOnce(t *testing.T) {
	calls := 0
	want := NewCatalog(nil, nil, nil, nil)
	src := LazyCatalog(func() (*Catalog, error) { calls++; return want, nil })
	if calls != 0 {
		t.Fatalf("loaded %d times before it was asked for", calls)
	}
	for i := 0; i < 3; i++ {
		if got, err := src.Catalog(); got != want || err != nil {
			t.Fatalf("ask %d: %p %v, want %p", i, got, err, want)
		}
	}
	if calls != 1 {
		t.Fatalf("loaded %d times for three asks, want once", calls)
	}
	failed := errors.New("damaged")
	bad := LazyCatalog(func() (*Catalog, error) { calls++; return nil, failed })
	for i := 0; i < 2; i++ {
		if _, err := bad.Catalog(); !errors.Is(err, failed) {
			t.Fatalf("ask %d of a failing source: %v, want its error", i, err)
		}
	}
	if calls != 2 {
		t.Fatalf("a failing load was tried %d times, want once (its error is kept)", calls-1)
	}
	if got, _ := want.Catalog(); got != want {
		t.Fatal("a catalog is not its own source")
	}
}

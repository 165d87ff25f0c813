package dashboards

import (
	"testing"

	"github.com/linyi-sti/innowatch"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		want     string
	}{
		{2.3, 2, "2.30"},
		{1234567.891, 2, "1,234,567.89"},
		{-1234.5, 1, "-1,234.5"},
		{999, 0, "999"},
		{1000, 0, "1,000"},
		{-0.001, 2, "0.00"},
		{20412, 0, "20,412"},
		{0.125, -1, "0"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.v, tt.decimals); got != tt.want {
			t.Errorf("formatNumber(%v, %d) = %q, want %q", tt.v, tt.decimals, got, tt.want)
		}
	}
}

// Item 7 of issue 14: 596.5 − 582 = 14.5 printed "14" (strconv rounds half
// to even on the binary value). Chinese statistics round half away from
// zero (四舍五入) on the decimal value, in every page and bulletin.
func TestFixedRoundsHalfAwayFromZero(t *testing.T) {
	tests := []struct {
		v    float64
		dec  int
		want string
	}{
		{596.5 - 582, 0, "15"},
		{14.5, 0, "15"},
		{-14.5, 0, "-15"},
		{0.5, 0, "1"},
		{1.5, 0, "2"},
		{2.5, 0, "3"},
		{-2.5, 0, "-3"},
		{2.675, 2, "2.68"},            // binary 2.67499999999999982236431605997495353221893310546875
		{1.005, 2, "1.01"},            // binary 1.00499999999999989341858963598497211933135986328125
		{0.125, 2, "0.13"},            // exact in binary: half to even would give 0.12
		{0.05, 1, "0.1"},              // the pace "0.05 个百分点" is not "0.0"
		{-0.05, 1, "-0.1"},            //
		{14.499999999999998, 0, "15"}, // arithmetic noise below 15 significant digits
		{14.49, 0, "14"},
		{99.95, 1, "100.0"},
		{9.995, 2, "10.00"},
		{-0.004, 2, "0.00"}, // never "-0.00"
		{0, 1, "0.0"},
		{1234567.891, 2, "1234567.89"},
		{37.40003210497503, 2, "37.40"},
		{1e-7, 2, "0.00"},
		{3, -1, "3"},
	}
	for _, tt := range tests {
		if got := Fixed(tt.v, tt.dec); got != tt.want {
			t.Errorf("Fixed(%v, %d) = %q, want %q", tt.v, tt.dec, got, tt.want)
		}
	}
	if got := formatNumber(596.5-582, 0); got != "15" {
		t.Errorf("formatNumber(596.5 − 582, 0) = %q, want 15", got)
	}
	if got := Round(2.675, 2); got != 2.68 {
		t.Errorf("Round(2.675, 2) = %v, want 2.68", got)
	}
}

func TestFormatSigned(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{0.16, "+0.16"}, {-0.16, "-0.16"}, {0.001, "0.00"}, {-0.001, "0.00"}, {1500, "+1,500.00"}} {
		if got := formatSigned(tt.v, 2); got != tt.want {
			t.Errorf("formatSigned(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestRoundToAgreesWithFormat(t *testing.T) {
	for _, v := range []float64{2.345, 2.355, 1.005, 4.86, 0.125} {
		if got, want := formatNumber(roundTo(v, 2), 2), formatNumber(v, 2); got != want {
			t.Errorf("roundTo(%v) prints %s, formatNumber prints %s", v, got, want)
		}
	}
}

func TestPeriodText(t *testing.T) {
	for _, tt := range []struct {
		p    innowatch.Period
		flow bool
		want bi
	}{
		{innowatch.Period{Year: 2020}, false, bi{"2020年", "2020"}},
		{innowatch.Period{Year: 2020, Month: 10}, true, bi{"2020年1-10月", "Jan–Oct 2020"}},
		{innowatch.Period{Year: 2020, Month: 10}, false, bi{"2020年10月", "Oct 2020"}},
		{innowatch.Period{Year: 2020, Month: 1}, true, bi{"2020年1月", "Jan 2020"}},
	} {
		if got := periodText(tt.p, tt.flow); got != tt.want {
			t.Errorf("periodText(%v, %v) = %q, want %q", tt.p, tt.flow, got, tt.want)
		}
	}
}

func TestWrapName(t *testing.T) {
	for _, tc := range []struct{ name, lang, want string }{
		{"技术合同成交", "zh", "技术合同成交"},
		{"高新技术企业数", "zh", "高新技术\n企业数"},
		{"R&D经费投入强度", "zh", "R&D经费\n投入强度"},
		{"高新技术产业产值占比", "zh", "高新技术产\n业产值占比"},
		{"省级以上科技企业孵化器和众创空间", "zh", "省级以上科技\n企业孵化器和\n众创空间"},
		{"R&D intensity", "en", "R&D intensity"},
		{"Provincial-or-higher incubators and maker spaces", "en", "Provincial-or-higher\nincubators and\nmaker spaces"},
	} {
		if got := wrapName(tc.name, tc.lang); got != tc.want {
			t.Errorf("wrapName(%q, %s) = %q, want %q", tc.name, tc.lang, got, tc.want)
		}
	}
}

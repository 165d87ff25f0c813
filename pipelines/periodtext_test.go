package pipelines

import (
	"testing"

	"github.com/linyi-sti/innowatch"
)

func TestParsePeriodText(t *testing.T) {
	p := func(y, m int) innowatch.Period { return innowatch.Period{Year: y, Month: m} }
	tests := []struct {
		in   string
		want innowatch.Period
		bad  bool
	}{
		{in: "2020", want: p(2020, 0)},
		{in: "2020年", want: p(2020, 0)},
		{in: "2020年度", want: p(2020, 0)},
		{in: "2020-10", want: p(2020, 10)},
		{in: "2020-1", want: p(2020, 1)},
		{in: "2020/10", want: p(2020, 10)},
		{in: "2020.10", want: p(2020, 10)},
		{in: "2020M10", want: p(2020, 10)},
		{in: "2020m03", want: p(2020, 3)},
		{in: "202010", want: p(2020, 10)},
		{in: "2020年10月", want: p(2020, 10)},
		{in: "2020年10月份", want: p(2020, 10)},
		{in: "2020年1-10月", want: p(2020, 10)},
		{in: "2020年1—10月", want: p(2020, 10)},
		{in: "2020年1～10月累计", want: p(2020, 10)},
		{in: "2020年1至10月", want: p(2020, 10)},
		{in: "２０２０年１－１０月", want: p(2020, 10)},
		{in: " 2020 年 1-10 月 ", want: p(2020, 10)},
		{in: "2020年1-12月", want: p(2020, 12)},
		{in: "2020年前三季度", want: p(2020, 9)},
		{in: "2020年1-3季度", want: p(2020, 9)},
		{in: "2020年一季度", want: p(2020, 3)},
		{in: "2020Q1", want: p(2020, 3)},
		{in: "2020年上半年", want: p(2020, 6)},
		{in: "2020年全年", want: p(2020, 0)},
		{in: "2020-10-31", want: p(2020, 10)},
		{in: "2020/10/31", want: p(2020, 10)},
		{in: "2020年10月31日", want: p(2020, 10)},
		{in: "2020-10-31 00:00:00", want: p(2020, 10)},
		{in: "2020年3-5月", bad: true}, // not year-to-date
		{in: "2020年第三季度", bad: true}, // a single quarter
		{in: "2020Q3", bad: true},
		{in: "2020-13", bad: true},
		{in: "2020-00", bad: true},
		{in: "1900", bad: true}, // before 1949
		{in: "2101", bad: true},
		{in: "20", bad: true},
		{in: "10月", bad: true}, // no year
		{in: "二〇二〇年", bad: true},
		{in: "", bad: true},
		{in: "2020-10-32", bad: true},
	}
	for _, tt := range tests {
		got, err := ParsePeriodText(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParsePeriodText(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePeriodText(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestPeriodFromExcelDate(t *testing.T) {
	// 44135 is 2020-10-31 (Excel counts days from 1899-12-30); 43831 is 2020-01-01.
	for _, tt := range []struct {
		serial float64
		want   innowatch.Period
	}{{44135, innowatch.Period{Year: 2020, Month: 10}}, {43831, innowatch.Period{Year: 2020, Month: 1}},
		{44135.75, innowatch.Period{Year: 2020, Month: 10}}} {
		got, err := PeriodFromExcelDate(tt.serial)
		if err != nil || got != tt.want {
			t.Errorf("PeriodFromExcelDate(%v) = %v, %v; want %v", tt.serial, got, err, tt.want)
		}
	}
	for _, bad := range []float64{0, -1, 1e9, 100} { // 100 is 1900-04-09: before 1949
		if got, err := PeriodFromExcelDate(bad); err == nil {
			t.Errorf("PeriodFromExcelDate(%v) = %v, want an error", bad, got)
		}
	}
}

func TestFindPeriodInTitle(t *testing.T) {
	for _, tt := range []struct {
		title string
		want  innowatch.Period
	}{
		{"2020年1-10月各县区科技创新主要指标", innowatch.Period{Year: 2020, Month: 10}},
		{"临沂市2019年各县区R&D经费投入情况", innowatch.Period{Year: 2019}},
		{"全市科技创新主要指标月报（2020年1-10月）", innowatch.Period{Year: 2020, Month: 10}},
		{"2020年10月份科技指标", innowatch.Period{Year: 2020, Month: 10}},
	} {
		got, _, ok := findPeriod(tt.title)
		if !ok || got != tt.want {
			t.Errorf("findPeriod(%q) = %v, %v; want %v", tt.title, got, ok, tt.want)
		}
	}
	if got, _, ok := findPeriod("各县区科技创新主要指标"); ok {
		t.Errorf("findPeriod without a year = %v, want none", got)
	}
}

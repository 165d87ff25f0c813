package innowatch

import (
	"strings"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    Period
		wantErr string
	}{
		{in: "2020", want: Period{Year: 2020}},
		{in: "2020-01", want: Period{Year: 2020, Month: 1}},
		{in: "2020-12", want: Period{Year: 2020, Month: 12}},
		{in: "2020-13", wantErr: "month outside 1–12"},
		{in: "2020-00", wantErr: "month outside 1–12"},
		{in: "2020/10", wantErr: "separator"},
		{in: "2020-1", wantErr: "wrong length"},
		{in: "20201", wantErr: "wrong length"},
		{in: "", wantErr: "wrong length"},
		{in: "1800", wantErr: "year outside"},
		{in: "20x0", wantErr: "year is not a number"},
		{in: "+020", wantErr: "year is not a number"},
		{in: "2020-+1", wantErr: "month is not a number"},
		{in: "2020年", wantErr: "separator"}, // other spellings belong to the ingest parsers
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParsePeriod(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("Period.String() = %q, want the canonical %q back", got.String(), tt.in)
		}
	}
}

func TestPeriodOrderAndSameLastYear(t *testing.T) {
	p := Period{Year: 2020, Month: 10}
	if got := p.SameLastYear(); got != (Period{Year: 2019, Month: 10}) {
		t.Errorf("SameLastYear = %v", got)
	}
	ordered := []Period{{2019, 12}, {2019, 0}, {2020, 1}, {2020, 10}, {2020, 12}, {2020, 0}}
	for i := 0; i+1 < len(ordered); i++ {
		if !ordered[i].Before(ordered[i+1]) || ordered[i+1].Before(ordered[i]) {
			t.Errorf("%v should sort before %v", ordered[i], ordered[i+1])
		}
	}
}

package pipelines

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want Value
		bad  bool
	}{
		{in: "1234.5", want: Value{V: 1234.5}},
		{in: " 42 ", want: Value{V: 42}},
		{in: "-3.25", want: Value{V: -3.25}},
		{in: "1,234.5", want: Value{V: 1234.5}},
		{in: "12,345,678", want: Value{V: 12345678}},
		{in: "1，234", want: Value{V: 1234}},
		{in: "１２３４．５", want: Value{V: 1234.5}},
		{in: "１，２３４", want: Value{V: 1234}},
		{in: "45.6%", want: Value{V: 45.6, Percent: true}},
		{in: "45.6％", want: Value{V: 45.6, Percent: true}},
		{in: "－5", want: Value{V: -5}},
		{in: "1.2E+3", want: Value{V: 1200}},
		{in: "1 234", want: Value{V: 1234}},
		{in: "—", want: Value{Missing: true, Marker: "—"}},
		{in: "－", want: Value{Missing: true, Marker: "－"}},
		{in: "-", want: Value{Missing: true, Marker: "-"}},
		{in: "…", want: Value{Missing: true, Marker: "…"}},
		{in: "/", want: Value{Missing: true, Marker: "/"}},
		{in: "空", want: Value{Missing: true, Marker: "空"}},
		{in: "", want: Value{Missing: true, Marker: ""}},
		{in: "   ", want: Value{Missing: true, Marker: ""}},
		{in: "12,34", bad: true},       // a separator must be followed by three digits
		{in: ",123", bad: true},        // and preceded by one
		{in: "1.2.3", bad: true},       //
		{in: "12%3", bad: true},        // % only at the end
		{in: "abc", bad: true},         //
		{in: "NaN", bad: true},         // ParseFloat would take it; we do not
		{in: "Inf", bad: true},         //
		{in: "0x10", bad: true},        //
		{in: "1_000", bad: true},       //
		{in: "3-5", bad: true},         // a sign inside a number
		{in: "约100", bad: true},        // "about 100" is not a number
		{in: "1e999", bad: true},       // overflows
		{in: "1.5万", bad: true},        // units belong in the header
		{in: "%", bad: true},           //
		{in: "1,234.5,678", bad: true}, //
	}
	for _, tt := range tests {
		got, err := ParseNumber(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseNumber(%q) = %+v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseNumber(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseNumber(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestTrimSpace(t *testing.T) {
	for _, s := range []string{"", "a", " a ", "初步", " 初步\u3000", "—", "\u00a0120\u00a0", "\t1\r", "１２３",
		"亿元", "\u3000亿元", "亿元\u3000", "\u00a0亿元", "\u0085家", "\u2003万元 ", "\u1680x", "\xff亿", "亿\xff", "\xc2", "é"} {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

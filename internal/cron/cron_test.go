package cron

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestNextIsInShanghaiWhateverTheLocalZone(t *testing.T) {
	sh := shanghai(t)
	// A server set to UTC or New York must still fire at 09:00 Beijing time.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	oldLocal := time.Local
	time.Local = ny
	defer func() { time.Local = oldLocal }()

	tests := []struct {
		spec string
		from time.Time
		want []time.Time
	}{
		{"0 9 5 * *", time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), []time.Time{
			time.Date(2026, 2, 5, 9, 0, 0, 0, sh),
			time.Date(2026, 3, 5, 9, 0, 0, 0, sh),
			time.Date(2026, 4, 5, 9, 0, 0, 0, sh),
		}},
		// 01:00 UTC on 5 Feb is already 09:00 in Shanghai: strictly after.
		{"0 9 5 * *", time.Date(2026, 2, 5, 1, 0, 0, 0, time.UTC), []time.Time{
			time.Date(2026, 3, 5, 9, 0, 0, 0, sh),
		}},
		{"30 2 * * *", time.Date(2026, 6, 30, 18, 29, 0, 0, time.UTC), []time.Time{
			time.Date(2026, 7, 1, 2, 30, 0, 0, sh), // 18:30 UTC the day before
			time.Date(2026, 7, 2, 2, 30, 0, 0, sh),
		}},
		{"*/20 * * * *", time.Date(2026, 6, 1, 10, 5, 0, 0, sh), []time.Time{
			time.Date(2026, 6, 1, 10, 20, 0, 0, sh),
			time.Date(2026, 6, 1, 10, 40, 0, 0, sh),
			time.Date(2026, 6, 1, 11, 0, 0, 0, sh),
		}},
		{"@daily", time.Date(2026, 6, 1, 15, 59, 0, 0, time.UTC), []time.Time{
			time.Date(2026, 6, 2, 0, 0, 0, 0, sh), // 16:00 UTC is midnight in Shanghai
			time.Date(2026, 6, 3, 0, 0, 0, 0, sh),
		}},
	}
	for _, tt := range tests {
		s, err := Parse(tt.spec, sh)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.spec, err)
		}
		var got []time.Time
		at := tt.from
		for range tt.want {
			at = s.Next(at)
			got = append(got, at)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s from %s (-want +got):\n%s", tt.spec, tt.from, diff)
		}
		for _, g := range got {
			if g.Location() != sh {
				t.Errorf("%s: Next returned %v in %v, want Asia/Shanghai", tt.spec, g, g.Location())
			}
		}
	}
}

func TestLast(t *testing.T) {
	sh := shanghai(t)
	s, err := Parse("0 9 5 * *", sh)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		from, to time.Time
		want     time.Time
		ok       bool
	}{
		{time.Date(2026, 2, 1, 0, 0, 0, 0, sh), time.Date(2026, 2, 6, 12, 0, 0, 0, sh), time.Date(2026, 2, 5, 9, 0, 0, 0, sh), true},
		{time.Date(2026, 2, 5, 9, 0, 0, 0, sh), time.Date(2026, 2, 6, 12, 0, 0, 0, sh), time.Time{}, false}, // from is exclusive
		{time.Date(2026, 1, 1, 0, 0, 0, 0, sh), time.Date(2026, 3, 5, 9, 0, 0, 0, sh), time.Date(2026, 3, 5, 9, 0, 0, 0, sh), true},
		{time.Date(2026, 2, 6, 0, 0, 0, 0, sh), time.Date(2026, 3, 4, 0, 0, 0, 0, sh), time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := s.Last(tt.from, tt.to)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("Last(%s, %s) = %s, %v; want %s, %v", tt.from, tt.to, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	sh := shanghai(t)
	for _, spec := range []string{"", "0 9 5 *", "61 * * * *", "CRON_TZ=UTC 0 9 * * *", "TZ=UTC 0 9 * * *", "* * * * * *"} {
		if _, err := Parse(spec, sh); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", spec)
		}
	}
	if _, err := Parse("0 9 * * *", nil); err == nil {
		t.Error("Parse without a location succeeded")
	}
}

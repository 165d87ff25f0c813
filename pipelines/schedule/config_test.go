package schedule

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/linyi-sti/innowatch"
)

func TestDefaultConfig(t *testing.T) {
	c, err := ParseConfig(DefaultConfig, "/srv/innowatch")
	if err != nil {
		t.Fatal(err)
	}
	if c.Warehouse != "/srv/innowatch/warehouse.duckdb" || c.Inbox.Dir != "/srv/innowatch/inbox" ||
		c.Inbox.Archive != "/srv/innowatch/archive" || c.Inbox.Settle != 30*time.Second {
		t.Errorf("paths and settle: %+v %+v", c.Warehouse, c.Inbox)
	}
	if c.Location.String() != "Asia/Shanghai" {
		t.Errorf("location %v", c.Location)
	}
	var got []JobConfig
	got = append(got, c.ActiveJobs()...)
	want := []JobConfig{
		{Name: "inbox", Schedule: "*/2 * * * *", Steps: []string{"inbox", "build", "render"}, Timeout: 30 * time.Minute, Retries: 2, Backoff: time.Minute},
		{Name: "nightly", Schedule: "30 2 * * *", Steps: []string{"build", "render"}, Timeout: time.Hour, Retries: 2, Backoff: 5 * time.Minute, CatchUp: 20 * time.Hour},
		{Name: "freshness", Schedule: "0 10 * * *", Steps: []string{"freshness"}, Timeout: 10 * time.Minute, Retries: 1, Backoff: 5 * time.Minute},
		{Name: "bulletin", Schedule: "0 9 5 * *", Steps: []string{"bulletin"}, Timeout: 30 * time.Minute, Retries: 3, Backoff: 10 * time.Minute, CatchUp: 72 * time.Hour},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jobs (-want +got):\n%s", diff)
	}
	if len(c.Freshness) != 4 || c.Freshness[0].Indicator != "hitech_output" || c.Freshness[3].DueDate != "10-31" {
		t.Errorf("freshness rules %+v", c.Freshness)
	}
}

func TestParseConfigRefuses(t *testing.T) {
	job := "jobs:\n  - {name: a, schedule: \"0 2 * * *\", steps: [build]}\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "warehous: x.duckdb\n" + job, "unknown field \"warehous\""},
		{"bad cron", "jobs:\n  - {name: a, schedule: \"0 25 * * *\", steps: [build]}\n", "job \"a\": parse cron expression"},
		{"unknown step", "jobs:\n  - {name: a, schedule: \"0 2 * * *\", steps: [publish]}\n", "unknown step \"publish\""},
		{"inbox not first", "jobs:\n  - {name: a, schedule: \"0 2 * * *\", steps: [build, inbox]}\n", "inbox step must come first"},
		{"duplicate job", job + "  - {name: a, schedule: \"0 3 * * *\", steps: [render]}\n", "declared twice"},
		{"no jobs", "site: out\n", "no jobs declared"},
		{"bad zone", "timezone: Mars/Olympus\n" + job, "timezone \"Mars/Olympus\""},
		{"bad duration", "stop_grace: soon\n" + job, "line 1: stop_grace: \"soon\" is not a duration"},
		{"bad job duration", "jobs:\n  - name: a\n    schedule: \"0 2 * * *\"\n    steps: [build]\n    timeout: 10 minutes\n", "line 5: timeout: \"10 minutes\" is not a duration"},
		{"bad webhook", "alerts: {webhook: \"ftp://x\"}\n" + job, "not an http(s) URL"},
		{"freshness both", "freshness: [{indicator: gdp, due_day: 3, due_date: \"01-02\"}]\n" + job, "not both"},
		{"freshness bad date", "freshness: [{indicator: gdp, due_date: \"31-12\"}]\n" + job, "is not MM-DD"},
		{"tz prefix", "jobs:\n  - {name: a, schedule: \"CRON_TZ=UTC 0 2 * * *\", steps: [build]}\n", "time zone prefix is not allowed"},
	}
	for _, tt := range tests {
		_, err := ParseConfig([]byte(tt.yaml), ".")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}

func TestLoadConfigNamesTheFile(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || innowatch.HintOf(err) == "" {
		t.Errorf("got %v, want an error with a hint", err)
	}
	var ie *innowatch.Error
	if !errors.As(err, &ie) {
		t.Errorf("%T is not an *innowatch.Error", err)
	}
}

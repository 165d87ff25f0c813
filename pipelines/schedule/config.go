package schedule

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/cron"
)

// DefaultConfig is the embedded configuration used without --config; it
// doubles as the documented reference (docs/OPERATIONS.md).
//
//go:embed default.yaml
var DefaultConfig []byte

// Step names a job may list.
const (
	StepInbox     = "inbox"
	StepBuild     = "build"
	StepRender    = "render"
	StepBulletin  = "bulletin"
	StepFreshness = "freshness"
)

var knownSteps = []string{StepInbox, StepBuild, StepRender, StepBulletin, StepFreshness}

// Config is innowatch.yaml.
type Config struct {
	Warehouse string          `yaml:"warehouse"`
	Site      string          `yaml:"site"`
	Timezone  string          `yaml:"timezone"`
	StopGrace time.Duration   `yaml:"stop_grace"`
	Serve     string          `yaml:"serve"`
	Inbox     InboxConfig     `yaml:"inbox"`
	Alerts    AlertsConfig    `yaml:"alerts"`
	Freshness []FreshnessRule `yaml:"freshness"`
	Jobs      []JobConfig     `yaml:"jobs"`

	// Location is Timezone loaded; set by ParseConfig.
	Location *time.Location `yaml:"-"`
}

// InboxConfig is the inbox section.
type InboxConfig struct {
	Dir      string        `yaml:"dir"`
	Archive  string        `yaml:"archive"`
	Rejected string        `yaml:"rejected"`
	Settle   time.Duration `yaml:"settle"`
}

// AlertsConfig is the alerts section.
type AlertsConfig struct {
	Webhook string        `yaml:"webhook"`
	Retries int           `yaml:"retries"`
	Backoff time.Duration `yaml:"backoff"`
	Timeout time.Duration `yaml:"timeout"`
}

// JobConfig declares one job.
type JobConfig struct {
	Name     string        `yaml:"name"`
	Schedule string        `yaml:"schedule"`
	Steps    []string      `yaml:"steps"`
	Timeout  time.Duration `yaml:"timeout"`
	Retries  int           `yaml:"retries"`
	Backoff  time.Duration `yaml:"backoff"`
	CatchUp  time.Duration `yaml:"catch_up"`
	Disabled bool          `yaml:"disabled"`
}

// Kind is what the job's runs record in runs.kind.
func (j JobConfig) Kind() string { return strings.Join(j.Steps, "+") }

// LoadConfig reads the file at path, or the embedded default when path is
// empty. Relative paths in it are made relative to the file's folder (the
// working folder for the default).
func LoadConfig(path string) (*Config, error) {
	data, dir := DefaultConfig, "."
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, &innowatch.Error{Msg: "read config", Err: err,
				Hint: "give the path of innowatch.yaml, or print the default with `innowatch schedule --print-config > innowatch.yaml`"}
		}
		data, dir = b, filepath.Dir(path)
	}
	c, err := ParseConfig(data, dir)
	if err != nil {
		name := path
		if name == "" {
			name = "the built-in default config"
		}
		return nil, &innowatch.Error{Msg: "config " + name, Err: err,
			Hint: "see docs/OPERATIONS.md (config reference) or `innowatch schedule --print-config`"}
	}
	return c, nil
}

// ParseConfig reads a config; unknown keys are errors (a typo must not
// silently leave a default in place). Relative paths are joined to dir.
func ParseConfig(data []byte, dir string) (*Config, error) {
	c := &Config{
		Warehouse: "warehouse.duckdb", Site: "site", Timezone: "Asia/Shanghai",
		StopGrace: 2 * time.Minute,
		Inbox:     InboxConfig{Dir: "inbox", Archive: "archive", Rejected: "rejected", Settle: 30 * time.Second},
		Alerts:    AlertsConfig{Retries: 3, Backoff: 5 * time.Second, Timeout: 10 * time.Second},
	}
	if err := checkDurations(data); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data), yaml.DisallowUnknownField())
	if err := dec.Decode(c); err != nil {
		return nil, errors.New(yaml.FormatError(err, false, true))
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("timezone %q: %w", c.Timezone, err)
	}
	c.Location = loc
	for _, p := range []*string{&c.Warehouse, &c.Site, &c.Inbox.Dir, &c.Inbox.Archive, &c.Inbox.Rejected} {
		if *p == "" {
			return nil, errors.New("a path (warehouse, site, inbox.*) is empty")
		}
		if !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	if c.StopGrace < 0 || c.Inbox.Settle < 0 || c.Alerts.Retries < 0 || c.Alerts.Backoff < 0 || c.Alerts.Timeout < 0 {
		return nil, errors.New("durations and retries cannot be negative")
	}
	if c.Alerts.Webhook != "" {
		u, err := url.Parse(c.Alerts.Webhook)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("alerts.webhook %q is not an http(s) URL", c.Alerts.Webhook)
		}
	}
	for _, r := range c.Freshness {
		if err := r.Check(); err != nil {
			return nil, err
		}
	}
	if len(c.Jobs) == 0 {
		return nil, errors.New("no jobs declared")
	}
	seen := map[string]bool{}
	for _, j := range c.Jobs {
		if err := checkJob(j, loc); err != nil {
			return nil, err
		}
		if seen[j.Name] {
			return nil, fmt.Errorf("job %q declared twice", j.Name)
		}
		seen[j.Name] = true
	}
	return c, nil
}

func checkJob(j JobConfig, loc *time.Location) error {
	if j.Name == "" {
		return errors.New("a job has no name")
	}
	if _, err := cron.Parse(j.Schedule, loc); err != nil {
		return fmt.Errorf("job %q: %w", j.Name, err)
	}
	if len(j.Steps) == 0 {
		return fmt.Errorf("job %q: no steps", j.Name)
	}
	for i, s := range j.Steps {
		if !slices.Contains(knownSteps, s) {
			return fmt.Errorf("job %q: unknown step %q (known: %s)", j.Name, s, strings.Join(knownSteps, ", "))
		}
		if slices.Contains(j.Steps[:i], s) {
			return fmt.Errorf("job %q: step %s listed twice", j.Name, s)
		}
		if s == StepInbox && i > 0 {
			return fmt.Errorf("job %q: the inbox step must come first", j.Name)
		}
	}
	if j.Timeout < 0 || j.Retries < 0 || j.Backoff < 0 || j.CatchUp < 0 {
		return fmt.Errorf("job %q: durations and retries cannot be negative", j.Name)
	}
	return nil
}

// ActiveJobs are the jobs not disabled.
func (c *Config) ActiveJobs() []JobConfig {
	var out []JobConfig
	for _, j := range c.Jobs {
		if !j.Disabled {
			out = append(out, j)
		}
	}
	return out
}

var durationKeys = map[string]bool{"stop_grace": true, "settle": true, "backoff": true, "timeout": true, "catch_up": true}

// checkDurations reports a malformed duration with its line: the decoder's
// own error would only quote the value.
func checkDurations(data []byte) error {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return errors.New(yaml.FormatError(err, false, true))
	}
	v := &durationVisitor{}
	for _, doc := range f.Docs {
		ast.Walk(v, doc)
	}
	return v.err
}

type durationVisitor struct{ err error }

func (v *durationVisitor) Visit(n ast.Node) ast.Visitor {
	if v.err != nil {
		return nil
	}
	mv, ok := n.(*ast.MappingValueNode)
	if !ok || !durationKeys[mv.Key.String()] {
		return v
	}
	val := strings.Trim(mv.Value.String(), `"'`)
	if _, err := time.ParseDuration(val); err != nil {
		v.err = fmt.Errorf("line %d: %s: %q is not a duration (write 30s, 10m, 2h or 72h)",
			mv.Value.GetToken().Position.Line, mv.Key.String(), val)
	}
	return v
}

// Package cron wraps github.com/robfig/cron/v3 for its expression parser
// only. The library's runner reads the wall clock, knows nothing of contexts
// and cannot be driven by a test clock, so the scheduler
// (pipelines/schedule) asks a Schedule for its next time and does the
// waiting itself, on an injected clock.
//
// Every schedule is evaluated in one explicit location (Asia/Shanghai for
// the bureau): the machine's local time zone and a CRON_TZ= prefix in the
// expression are both refused, so "0 9 5 * *" means 09:00 Beijing time on
// the 5th whatever the server's TZ says.
package cron

import (
	"errors"
	"fmt"
	"strings"
	"time"

	robfig "github.com/robfig/cron/v3"
)

// parser accepts the standard five fields and the descriptors (@daily,
// @every 10m …), as crontab(5) and the robfig default do.
var parser = robfig.NewParser(robfig.Minute | robfig.Hour | robfig.Dom | robfig.Month | robfig.Dow | robfig.Descriptor)

// Schedule is a parsed cron expression bound to a location.
type Schedule struct {
	spec  string
	loc   *time.Location
	inner robfig.Schedule
}

// Parse reads a five-field cron expression or descriptor, evaluated in loc.
func Parse(spec string, loc *time.Location) (*Schedule, error) {
	if loc == nil {
		return nil, errors.New("parse cron expression: no location")
	}
	s := strings.TrimSpace(spec)
	if strings.HasPrefix(s, "CRON_TZ=") || strings.HasPrefix(s, "TZ=") {
		return nil, fmt.Errorf("parse cron expression %q: a time zone prefix is not allowed; every schedule runs in %s", spec, loc)
	}
	inner, err := parser.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("parse cron expression %q: %w", spec, err)
	}
	if ss, ok := inner.(*robfig.SpecSchedule); ok {
		// The parser binds expressions without a prefix to time.Local;
		// bind them to loc explicitly.
		ss.Location = loc
	}
	return &Schedule{spec: s, loc: loc, inner: inner}, nil
}

// String is the expression as written.
func (s *Schedule) String() string { return s.spec }

// Location is where the schedule is evaluated.
func (s *Schedule) Location() *time.Location { return s.loc }

// Next is the first activation strictly after t, in the schedule's
// location; the zero time when there is none (for example 30 February).
func (s *Schedule) Next(t time.Time) time.Time {
	n := s.inner.Next(t.In(s.loc))
	if n.IsZero() {
		return n
	}
	return n.In(s.loc)
}

// Last is the latest activation in the window (from, to]: the slot a daemon
// that was down during the window missed most recently. ok is false when
// the window holds no activation.
func (s *Schedule) Last(from, to time.Time) (slot time.Time, ok bool) {
	for t := s.Next(from); !t.IsZero() && !t.After(to); t = s.Next(t) {
		slot, ok = t, true
	}
	return slot, ok
}

package schedule

import (
	"context"
	"time"

	"github.com/linyi-sti/innowatch"
)

// Record is a row of the runs table that the scheduler writes itself: a
// skipped firing, or an attempt that failed (or panicked, or was
// interrupted) before its Func recorded a row of its own.
type Record struct {
	Job         string
	Kind        string
	Trigger     Trigger
	Status      innowatch.RunStatus
	ScheduledAt time.Time
	StartedAt   time.Time
	FinishedAt  time.Time
	Attempt     int // 0 for a skipped firing: nothing was attempted
	Error       string
}

// Recorder is the scheduler's access to the run history. The scheduler
// calls it only from its worker, between jobs, so an implementation may
// open the warehouse for the call: nothing else in the process holds it.
type Recorder interface {
	// Record writes rows to the runs table.
	Record(ctx context.Context, recs []Record) error
	// Succeeded reports whether job has a succeeded run for the slot: a
	// catch-up never runs (or publishes) a slot twice.
	Succeeded(ctx context.Context, job string, slot time.Time) (bool, error)
}

// AlertKind says what an alert is about.
type AlertKind string

const (
	AlertFailure  AlertKind = "failure"  // a job failed after its last attempt
	AlertStale    AlertKind = "stale"    // an indicator's expected period has not arrived
	AlertRejected AlertKind = "rejected" // an inbox file was refused (see its .errors.txt)
)

// Alert is what the log and the webhook receive.
type Alert struct {
	Kind        AlertKind  `json:"kind"`
	Job         string     `json:"job,omitempty"`
	Trigger     Trigger    `json:"trigger,omitempty"`
	ScheduledAt *time.Time `json:"scheduled_at,omitempty"`
	Attempts    int        `json:"attempts,omitempty"`
	Error       string     `json:"error,omitempty"`
	Message     string     `json:"message"`
	Stale       []Stale    `json:"stale,omitempty"`
	At          time.Time  `json:"at"`
	Host        string     `json:"host,omitempty"`
	Warehouse   string     `json:"warehouse,omitempty"`
}

// Alerter delivers alerts; Alert must not block the caller for long.
type Alerter interface {
	Alert(a Alert)
}

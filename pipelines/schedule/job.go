// Package schedule is the daemon behind `innowatch schedule`: it fires jobs
// on cron schedules in Asia/Shanghai, runs one job at a time (every job
// writes the one DuckDB file), skips a firing whose job is still running,
// retries transient failures with backoff, catches up a missed slot once on
// start, stops gracefully, and raises alerts. It also holds the pieces the
// jobs are made of that are not steps of their own: the inbox, the
// freshness rules, the alert sender, the daemon lock and the site server.
//
// The package does not know how a job works: cmd/innowatch supplies each
// Job's Func, built from the same steps as the one-shot commands, through
// the writer that opens the warehouse for one job and publishes the serving
// copy. Time comes from an injected clock (clockwork), so the tests run
// months of schedule without waiting.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Trigger says why a run started; it is stored in runs.trigger.
type Trigger string

const (
	TriggerCron    Trigger = "cron"     // the job's schedule fired
	TriggerCatchUp Trigger = "catch-up" // a slot missed while the daemon was down
	TriggerManual  Trigger = "manual"   // a person asked (innowatch schedule --once)
)

// Job is a named piece of work on a cron schedule.
type Job struct {
	Name     string
	Kind     string // what it does, stored in runs.kind: "build+render", "inbox+build+render", …
	Schedule string // cron expression, evaluated in the scheduler's location
	Timeout  time.Duration
	// Retries is how many times a failed attempt is repeated; Backoff the
	// wait before the first retry, doubled for each further one (at most
	// MaxBackoff).
	Retries int
	Backoff time.Duration
	// CatchUp is the window within which a slot missed while the daemon was
	// down is run once on start; 0 means never.
	CatchUp time.Duration
	// Func does the work of one attempt. It records its own run row
	// (calling Run.Recorded) when it opens the warehouse; a Func that finds
	// nothing to do returns nil without recording.
	Func func(ctx context.Context, r *Run) error
}

// MaxBackoff caps the doubling of a job's backoff.
const MaxBackoff = time.Hour

// Run is one attempt of a job, as handed to its Func.
type Run struct {
	Job         string
	Kind        string
	Trigger     Trigger
	ScheduledAt time.Time // the slot, in the scheduler's location
	Attempt     int       // 1 for the first attempt
	runID       int64
}

// Recorded tells the scheduler that the attempt has its own row in the
// runs table (id), so the scheduler must not add one.
func (r *Run) Recorded(id int64) { r.runID = id }

// RunID is the row recorded by the Func, or 0.
func (r *Run) RunID() int64 { return r.runID }

var (
	// ErrTimeout is the cause of a job's context when its timeout passes.
	// It wraps context.DeadlineExceeded: a timed-out run is a failure.
	ErrTimeout = fmt.Errorf("job timed out: %w", context.DeadlineExceeded)
	// ErrInterrupted is the cause of a job's context when the daemon stops
	// and the grace period is over: the run is recorded as aborted.
	ErrInterrupted = fmt.Errorf("scheduler stopped before the job finished: %w", context.Canceled)
	// ErrUnknownJob is returned by RunOnce for a name not in the config.
	ErrUnknownJob = errors.New("unknown job")
)

// permanentError marks a failure that repeating cannot fix.
type permanentError struct{ err error }

func (p *permanentError) Error() string { return p.err.Error() }
func (p *permanentError) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying (a refused input file, a
// configuration mistake). Errors are transient unless marked.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err was marked with Permanent or is a panic.
func IsPermanent(err error) bool {
	var p *permanentError
	var pe *PanicError
	return errors.As(err, &p) || errors.As(err, &pe)
}

// PanicError is a panic recovered at the job boundary.
type PanicError struct {
	Value any
	Stack []byte
}

func (p *PanicError) Error() string { return fmt.Sprintf("job panicked: %v", p.Value) }

// Interrupted reports whether ctx ended because the daemon is stopping (or
// a person pressed Ctrl-C), as opposed to a timeout: such a run is recorded
// as aborted rather than failed.
func Interrupted(ctx context.Context) bool {
	return ctx.Err() != nil && !errors.Is(context.Cause(ctx), context.DeadlineExceeded)
}

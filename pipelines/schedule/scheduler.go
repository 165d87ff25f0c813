package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/cron"
)

// Log keys.
const (
	keyJob      = "job"
	keyTrigger  = "trigger"
	keySlot     = "scheduled_at"
	keyAttempt  = "attempt"
	keyErr      = "error"
	keyRunID    = "run_id"
	keyBackoff  = "retry_in"
	keyDuration = "duration"
	keyNext     = "next"
)

// Options configure a Scheduler.
type Options struct {
	Clock    clockwork.Clock // default: the real clock
	Location *time.Location  // where cron expressions are evaluated; required
	Recorder Recorder        // required
	Alerter  Alerter         // nil: alerts go to the log only
	Logger   *slog.Logger    // default: slog.Default()
	// StopGrace is how long a stop waits for the running job before
	// interrupting it (its run is then recorded as aborted).
	StopGrace time.Duration
	// AbortWait is how long an interrupted job gets to record its abort
	// before Run returns anyway (the next writer then marks the row).
	AbortWait time.Duration
}

// Scheduler fires jobs on their schedules and runs them one at a time.
type Scheduler struct {
	opt    Options
	clock  clockwork.Clock
	log    *slog.Logger
	jobs   []*entry
	byName map[string]*entry

	mu      sync.Mutex
	queue   []*firing
	busy    map[string]*firing // queued or running, by job name
	pending []Record           // rows waiting for the warehouse to be free
	wake    chan struct{}
	// inflight counts firings queued or running; tests wait for 0.
	inflight int
	// graceArmed is set once a stop has started the grace timer.
	graceArmed bool
}

type entry struct {
	Job
	sched *cron.Schedule
}

type firing struct {
	e       *entry
	trigger Trigger
	slot    time.Time
	running bool
}

// maxPending bounds the rows kept in memory while the warehouse cannot be
// written; older ones are dropped (they are in the log).
const maxPending = 1000

// New checks the jobs and parses their schedules.
func New(jobs []Job, opt Options) (*Scheduler, error) {
	if opt.Location == nil {
		return nil, errors.New("new scheduler: no location")
	}
	if opt.Recorder == nil {
		return nil, errors.New("new scheduler: no recorder")
	}
	if opt.Clock == nil {
		opt.Clock = clockwork.NewRealClock()
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.StopGrace <= 0 {
		opt.StopGrace = 2 * time.Minute
	}
	if opt.AbortWait <= 0 {
		opt.AbortWait = 30 * time.Second
	}
	s := &Scheduler{opt: opt, clock: opt.Clock, log: opt.Logger, byName: map[string]*entry{},
		busy: map[string]*firing{}, wake: make(chan struct{}, 1)}
	for _, j := range jobs {
		if j.Name == "" || j.Func == nil {
			return nil, fmt.Errorf("new scheduler: job %q has no name or no work", j.Name)
		}
		if _, dup := s.byName[j.Name]; dup {
			return nil, fmt.Errorf("new scheduler: job %q declared twice", j.Name)
		}
		sc, err := cron.Parse(j.Schedule, opt.Location)
		if err != nil {
			return nil, fmt.Errorf("job %q: %w", j.Name, err)
		}
		e := &entry{Job: j, sched: sc}
		s.jobs = append(s.jobs, e)
		s.byName[j.Name] = e
	}
	return s, nil
}

// Run fires the jobs until ctx ends, then stops: no new runs start, queued
// firings are dropped, the running job gets StopGrace to finish and is
// then interrupted. Slots missed while the daemon was down are caught up
// first, once each, for jobs that declare a catch-up window.
func (s *Scheduler) Run(ctx context.Context) error {
	now := s.clock.Now()
	s.enqueueCatchUps(now)
	jobCtx, interrupt := context.WithCancelCause(context.WithoutCancel(ctx))
	defer interrupt(nil)
	stop := make(chan struct{})
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		s.work(jobCtx, stop)
	}()

	s.loop(ctx, now)

	s.mu.Lock()
	dropped := s.queue
	s.queue = nil
	for _, f := range dropped {
		delete(s.busy, f.e.Name)
		s.inflight--
	}
	s.mu.Unlock()
	for _, f := range dropped {
		s.log.Info("stopping: queued run dropped", keyJob, f.e.Name, keyTrigger, f.trigger, keySlot, f.slot)
	}
	close(stop)

	grace := s.clock.NewTimer(s.opt.StopGrace)
	s.mu.Lock()
	s.graceArmed = true
	s.mu.Unlock()
	select {
	case <-workerDone:
		grace.Stop()
		return nil
	case <-grace.Chan():
	}
	s.log.Warn("stopping: the running job did not finish within the grace period; interrupting it", "grace", s.opt.StopGrace)
	interrupt(ErrInterrupted)
	wait := s.clock.NewTimer(s.opt.AbortWait)
	defer wait.Stop()
	select {
	case <-workerDone:
		return nil
	case <-wait.Chan():
		return &innowatch.Error{
			Msg:  fmt.Sprintf("the running job did not stop within %s of being interrupted", s.opt.AbortWait),
			Hint: "its run stays 'running' in the runs table until the next writer marks it aborted; nothing half-done is published",
		}
	}
}

// RunOnce runs the named job now, with its retries, as a manual run; ctx
// ending interrupts it (recorded as aborted).
func (s *Scheduler) RunOnce(ctx context.Context, name string) error {
	e, ok := s.byName[name]
	if !ok {
		return fmt.Errorf("run job %q: %w", name, ErrUnknownJob)
	}
	f := &firing{e: e, trigger: TriggerManual, slot: s.clock.Now().In(s.opt.Location), running: true}
	err := s.execute(ctx, f, ctx.Done())
	s.flush(context.WithoutCancel(ctx))
	return err
}

// Next reports when each job fires next after t, for the start-up log.
func (s *Scheduler) Next(t time.Time) map[string]time.Time {
	m := map[string]time.Time{}
	for _, e := range s.jobs {
		m[e.Name] = e.sched.Next(t)
	}
	return m
}

// enqueueCatchUps queues, for each job with a catch-up window, the latest
// slot inside the window. Whether that slot already succeeded is checked
// when the firing runs (the warehouse may be busy now).
func (s *Scheduler) enqueueCatchUps(now time.Time) {
	for _, e := range s.jobs {
		if e.CatchUp <= 0 {
			continue
		}
		if slot, ok := e.sched.Last(now.Add(-e.CatchUp), now); ok {
			s.enqueue(&firing{e: e, trigger: TriggerCatchUp, slot: slot}, now)
		}
	}
}

// loop waits for the earliest next slot and queues every job due.
func (s *Scheduler) loop(ctx context.Context, now time.Time) {
	next := make([]time.Time, len(s.jobs))
	for i, e := range s.jobs {
		next[i] = e.sched.Next(now)
		s.log.Info("job scheduled", keyJob, e.Name, "schedule", e.Schedule, keyNext, next[i])
	}
	for {
		var earliest time.Time
		for _, n := range next {
			if !n.IsZero() && (earliest.IsZero() || n.Before(earliest)) {
				earliest = n
			}
		}
		if earliest.IsZero() {
			<-ctx.Done()
			return
		}
		t := s.clock.NewTimer(earliest.Sub(s.clock.Now()))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.Chan():
		}
		now := s.clock.Now()
		for i, e := range s.jobs {
			if next[i].IsZero() || next[i].After(now) {
				continue
			}
			// After a clock jump (suspend, NTP) fire the latest slot once.
			slot, ok := e.sched.Last(next[i].Add(-time.Nanosecond), now)
			if !ok {
				// An @every schedule counts from the time it is asked
				// about, so it has no "last" activation: the slot is the
				// time it was due.
				slot = next[i]
			}
			s.enqueue(&firing{e: e, trigger: TriggerCron, slot: slot}, now)
			next[i] = e.sched.Next(now)
		}
	}
}

// enqueue queues f unless its job is already queued or running, in which
// case the firing is recorded as skipped.
func (s *Scheduler) enqueue(f *firing, now time.Time) {
	s.mu.Lock()
	cur := s.busy[f.e.Name]
	if cur == nil {
		s.busy[f.e.Name] = f
		s.queue = append(s.queue, f)
		s.inflight++
		s.mu.Unlock()
		select {
		case s.wake <- struct{}{}:
		default:
		}
		return
	}
	state := "queued"
	if cur.running {
		state = "still running"
	}
	msg := fmt.Sprintf("skipped: the %s run for %s is %s", cur.trigger, cur.slot.Format(time.DateTime), state)
	s.addPending(Record{Job: f.e.Name, Kind: f.e.Kind, Trigger: f.trigger, Status: innowatch.RunSkipped,
		ScheduledAt: f.slot, StartedAt: now, FinishedAt: now, Error: msg})
	s.mu.Unlock()
	s.log.Warn("run skipped: the job has not finished", keyJob, f.e.Name, keyTrigger, f.trigger, keySlot, f.slot,
		"busy_slot", cur.slot, "busy_state", state)
}

func (s *Scheduler) addPending(r Record) {
	if len(s.pending) >= maxPending {
		s.pending = s.pending[1:]
	}
	s.pending = append(s.pending, r)
}

// work runs queued firings one at a time until stop is closed.
func (s *Scheduler) work(ctx context.Context, stop <-chan struct{}) {
	for {
		s.mu.Lock()
		var f *firing
		if len(s.queue) > 0 {
			f, s.queue = s.queue[0], s.queue[1:]
			f.running = true
		}
		s.mu.Unlock()
		if f == nil {
			s.flush(ctx)
			select {
			case <-s.wake:
				continue
			case <-stop:
				return
			}
		}
		s.execute(ctx, f, stop)
		s.flush(ctx)
		s.mu.Lock()
		delete(s.busy, f.e.Name)
		s.inflight--
		s.mu.Unlock()
	}
}

// flush writes the pending rows; on failure they wait for the next flush.
func (s *Scheduler) flush(ctx context.Context) {
	s.mu.Lock()
	recs := s.pending
	s.pending = nil
	s.mu.Unlock()
	if len(recs) == 0 {
		return
	}
	if err := s.opt.Recorder.Record(context.WithoutCancel(ctx), recs); err != nil {
		s.log.Warn("could not record runs yet; will retry after the next job", keyErr, err, "rows", len(recs))
		s.mu.Lock()
		s.pending = append(recs, s.pending...)
		if n := len(s.pending) - maxPending; n > 0 {
			s.pending = s.pending[n:]
		}
		s.mu.Unlock()
	}
}

// errAlreadyDone ends a catch-up whose slot already has a succeeded run.
var errAlreadyDone = errors.New("slot already succeeded")

// execute runs the attempts of one firing and returns the final error.
func (s *Scheduler) execute(ctx context.Context, f *firing, stop <-chan struct{}) error {
	log := s.log.With(keyJob, f.e.Name, keyTrigger, f.trigger, keySlot, f.slot)
	for attempt := 1; ; attempt++ {
		run := &Run{Job: f.e.Name, Kind: f.e.Kind, Trigger: f.trigger, ScheduledAt: f.slot, Attempt: attempt}
		started := s.clock.Now()
		// Started is debug: the inbox job fires every few minutes and most
		// often finds nothing to do.
		log.Debug("run started", keyAttempt, attempt)
		err := s.attempt(ctx, f, run)
		finished := s.clock.Now()
		if errors.Is(err, errAlreadyDone) {
			log.Info("catch-up not needed: the slot already has a succeeded run")
			return nil
		}
		if err == nil {
			if run.RunID() == 0 {
				log.Debug("nothing to do", keyAttempt, attempt)
			} else {
				log.Info("run succeeded", keyAttempt, attempt, keyRunID, run.RunID(), keyDuration, finished.Sub(started))
			}
			return nil
		}
		status := innowatch.RunFailed
		if ctx.Err() != nil {
			status = innowatch.RunAborted
		}
		if run.RunID() == 0 {
			s.mu.Lock()
			s.addPending(Record{Job: f.e.Name, Kind: f.e.Kind, Trigger: f.trigger, Status: status,
				ScheduledAt: f.slot, StartedAt: started, FinishedAt: finished, Attempt: attempt, Error: err.Error()})
			s.mu.Unlock()
		}
		if status == innowatch.RunAborted {
			log.Warn("run aborted: the scheduler is stopping", keyAttempt, attempt, keyErr, err)
			return err
		}
		var pe *PanicError
		if errors.As(err, &pe) {
			log.Error("run panicked", keyAttempt, attempt, keyErr, err, "stack", string(pe.Stack))
		}
		if IsPermanent(err) || attempt > f.e.Retries {
			log.Error("run failed", keyAttempt, attempt, keyErr, err)
			s.alert(Alert{Kind: AlertFailure, Job: f.e.Name, Trigger: f.trigger, ScheduledAt: &f.slot, Attempts: attempt,
				Error: err.Error(), Message: fmt.Sprintf("job %s failed after %d attempt(s)", f.e.Name, attempt), At: finished})
			return err
		}
		backoff := s.backoff(f.e, attempt)
		log.Warn("run failed; will retry", keyAttempt, attempt, keyErr, err, keyBackoff, backoff)
		t := s.clock.NewTimer(backoff)
		select {
		case <-t.Chan():
		case <-stop:
			t.Stop()
			log.Warn("stopping: retry abandoned", keyAttempt, attempt)
			return err
		}
	}
}

// backoff is the wait after the attempt-th failure: Backoff doubled for each
// earlier retry, at most MaxBackoff.
func (s *Scheduler) backoff(e *entry, attempt int) time.Duration {
	d := e.Backoff
	if d <= 0 {
		d = time.Minute
	}
	for i := 1; i < attempt && d < MaxBackoff; i++ {
		d *= 2
	}
	return min(d, MaxBackoff)
}

// attempt runs the job's Func once under its timeout, turning a panic into
// a *PanicError.
func (s *Scheduler) attempt(ctx context.Context, f *firing, run *Run) (err error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if f.e.Timeout > 0 {
		t := s.clock.AfterFunc(f.e.Timeout, func() { cancel(ErrTimeout) })
		defer t.Stop()
	}
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
		if err != nil && errors.Is(context.Cause(actx), ErrTimeout) && !errors.Is(err, ErrTimeout) {
			err = fmt.Errorf("%w after %s: %w", ErrTimeout, f.e.Timeout, err)
		}
	}()
	if f.trigger == TriggerCatchUp {
		done, err := s.opt.Recorder.Succeeded(actx, f.e.Name, f.slot)
		if err != nil {
			return fmt.Errorf("check the run history before catching up: %w", err)
		}
		if done {
			return errAlreadyDone
		}
	}
	return f.e.Func(actx, run)
}

// idle reports whether no firing is queued or running and no row waits.
func (s *Scheduler) idle() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inflight == 0 && len(s.pending) == 0
}

// stopping reports whether a stop has armed the grace timer.
func (s *Scheduler) stopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.graceArmed
}

func (s *Scheduler) alert(a Alert) {
	if s.opt.Alerter != nil {
		s.opt.Alerter.Alert(a)
	}
}

package schedule

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/linyi-sti/innowatch"
)

var cmpTime = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func TestOverlappingFiringIsSkippedAndRecorded(t *testing.T) {
	h := newHarness(t, sh(2026, 3, 1, 10, 5), nil)
	started := make(chan time.Time, 5)
	release := make(chan struct{})
	runs := 0
	h.start(Job{Name: "inbox", Kind: "inbox+build", Schedule: "*/10 * * * *", Func: func(ctx context.Context, r *Run) error {
		runs++
		started <- r.ScheduledAt
		if runs == 1 {
			<-release
		}
		return nil
	}})
	h.settle(1)
	h.advanceTo(sh(2026, 3, 1, 10, 10))
	block(t, started, "first run")
	// The 10:20 firing finds the 10:10 run still going.
	h.clock.BlockUntilContext(context.Background(), 1)
	h.advanceTo(sh(2026, 3, 1, 10, 20))
	h.clock.BlockUntilContext(context.Background(), 1)
	close(release)
	h.settle(1)
	want := []Record{{Job: "inbox", Kind: "inbox+build", Trigger: TriggerCron, Status: innowatch.RunSkipped,
		ScheduledAt: sh(2026, 3, 1, 10, 20), StartedAt: sh(2026, 3, 1, 10, 20), FinishedAt: sh(2026, 3, 1, 10, 20),
		Attempt: 0, Error: "skipped: the cron run for 2026-03-01 10:10:00 is still running"}}
	if diff := cmp.Diff(want, h.rec.records(), cmpTime); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	// The next firing runs normally.
	h.advanceTo(sh(2026, 3, 1, 10, 30))
	if got := block(t, started, "third slot"); !got.Equal(sh(2026, 3, 1, 10, 30)) {
		t.Errorf("next run for %s, want 10:30", got)
	}
	h.settle(1)
	if runs != 2 || len(h.rec.records()) != 1 {
		t.Errorf("%d runs and %d records, want 2 runs and the one skip", runs, len(h.rec.records()))
	}
}

func TestCatchUpRunsAMissedSlotOnce(t *testing.T) {
	tests := []struct {
		name      string
		start     time.Time
		succeeded []time.Time
		wantRuns  []time.Time
	}{
		{"missed this morning", sh(2026, 2, 5, 12, 0), nil, []time.Time{sh(2026, 2, 5, 9, 0)}},
		{"missed three days ago, inside the window", sh(2026, 2, 8, 8, 0), nil, []time.Time{sh(2026, 2, 5, 9, 0)}},
		{"outside the window", sh(2026, 2, 8, 10, 0), nil, nil},
		{"already published", sh(2026, 2, 5, 12, 0), []time.Time{sh(2026, 2, 5, 9, 0)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &memRecorder{}
			for _, s := range tt.succeeded {
				rec.markSucceeded("bulletin", s)
			}
			var got []time.Time
			job := Job{Name: "bulletin", Kind: "bulletin", Schedule: "0 9 5 * *", CatchUp: 72 * time.Hour,
				Func: func(ctx context.Context, r *Run) error {
					if r.Trigger != TriggerCatchUp {
						t.Errorf("trigger %q, want catch-up", r.Trigger)
					}
					got = append(got, r.ScheduledAt)
					rec.markSucceeded(r.Job, r.ScheduledAt) // what the writer's succeeded row means
					r.Recorded(1)
					return nil
				}}
			// Start, stop, start again: the second start must not run it again.
			for range 2 {
				h := newHarness(t, tt.start, rec)
				h.start(job)
				h.settle(1)
				h.cancel()
				if err := h.wait(); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tt.wantRuns, got, cmpTime); diff != "" {
				t.Errorf("catch-up runs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRetriesBackOff(t *testing.T) {
	h := newHarness(t, sh(2026, 3, 1, 1, 0), nil)
	attempts := make(chan time.Time, 10)
	fails := 3
	h.start(Job{Name: "nightly", Kind: "build", Schedule: "30 2 * * *", Retries: 4, Backoff: time.Minute,
		Func: func(ctx context.Context, r *Run) error {
			attempts <- h.clock.Now()
			if r.Attempt <= fails {
				return errors.New("warehouse is locked by another process")
			}
			r.Recorded(42)
			return nil
		}})
	h.settle(1)
	h.advanceTo(sh(2026, 3, 1, 2, 30))
	var got []time.Time
	got = append(got, block(t, attempts, "attempt 1"))
	for _, wait := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
		// The loop's timer and the backoff timer.
		h.clock.BlockUntilContext(context.Background(), 2)
		h.clock.Advance(wait - time.Second)
		select {
		case at := <-attempts:
			t.Fatalf("retry at %s, before the backoff of %s was over", at, wait)
		default:
		}
		h.clock.Advance(time.Second)
		got = append(got, block(t, attempts, "retry"))
	}
	h.settle(1)
	base := sh(2026, 3, 1, 2, 30)
	want := []time.Time{base, base.Add(time.Minute), base.Add(3 * time.Minute), base.Add(7 * time.Minute)}
	if diff := cmp.Diff(want, got, cmpTime); diff != "" {
		t.Errorf("attempt times (-want +got):\n%s", diff)
	}
	recs := h.rec.records()
	var gotAttempts []int
	for _, r := range recs {
		if r.Status != innowatch.RunFailed || r.Error != "warehouse is locked by another process" {
			t.Errorf("record %+v, want a failed attempt", r)
		}
		gotAttempts = append(gotAttempts, r.Attempt)
	}
	if diff := cmp.Diff([]int{1, 2, 3}, gotAttempts); diff != "" {
		t.Errorf("recorded attempts (-want +got):\n%s", diff)
	}
	if a := h.alerts.all(); len(a) != 0 {
		t.Errorf("alerts %+v for a run that succeeded in the end", a)
	}
}

func TestRetriesStopAtTheLimitAndAlert(t *testing.T) {
	tests := []struct {
		name         string
		err          error
		retries      int
		wantAttempts int
	}{
		{"transient", errors.New("disk full"), 2, 3},
		{"permanent", Permanent(errors.New("1 of 1 file(s) refused")), 5, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, sh(2026, 3, 1, 1, 0), nil)
			n := 0
			h.start(Job{Name: "nightly", Kind: "build", Schedule: "30 2 * * *", Retries: tt.retries, Backoff: time.Minute,
				Func: func(ctx context.Context, r *Run) error { n++; return tt.err }})
			h.settle(1)
			h.advanceTo(sh(2026, 3, 1, 2, 30))
			for i := 1; i < tt.wantAttempts; i++ {
				h.clock.BlockUntilContext(context.Background(), 2)
				h.clock.Advance(MaxBackoff)
			}
			h.settle(1)
			if n != tt.wantAttempts {
				t.Errorf("%d attempts, want %d", n, tt.wantAttempts)
			}
			alerts := h.alerts.all()
			if len(alerts) != 1 || alerts[0].Kind != AlertFailure || alerts[0].Attempts != tt.wantAttempts ||
				alerts[0].Error != tt.err.Error() || alerts[0].Job != "nightly" {
				t.Errorf("alerts %+v, want one failure alert after %d attempts", alerts, tt.wantAttempts)
			}
		})
	}
}

func TestPanicIsRecordedAsFailure(t *testing.T) {
	h := newHarness(t, sh(2026, 3, 1, 1, 0), nil)
	ran := make(chan int, 5)
	h.start(Job{Name: "render", Kind: "render", Schedule: "0 * * * *", Retries: 3, Func: func(ctx context.Context, r *Run) error {
		ran <- r.Attempt
		if r.ScheduledAt.Hour() == 2 {
			var m map[string]int
			m["boom"]++ // a bug: assignment to a nil map
		}
		return nil
	}})
	for _, hour := range []int{2, 3} {
		h.settle(1)
		h.advanceTo(sh(2026, 3, 1, hour, 0))
		block(t, ran, "run")
	}
	h.settle(1)
	recs := h.rec.records()
	if len(recs) != 1 || recs[0].Status != innowatch.RunFailed || recs[0].Attempt != 1 ||
		!strings.Contains(recs[0].Error, "job panicked: assignment to entry in nil map") {
		t.Fatalf("records %+v, want one failed run naming the panic", recs)
	}
	if len(ran) != 0 {
		t.Errorf("a panic was retried")
	}
	if a := h.alerts.all(); len(a) != 1 || a[0].Kind != AlertFailure {
		t.Errorf("alerts %+v, want one failure alert", a)
	}
}

func TestTimeoutFailsTheAttempt(t *testing.T) {
	h := newHarness(t, sh(2026, 3, 1, 1, 0), nil)
	started := make(chan struct{}, 1)
	h.start(Job{Name: "build", Kind: "build", Schedule: "0 2 * * *", Timeout: 10 * time.Minute,
		Func: func(ctx context.Context, r *Run) error {
			started <- struct{}{}
			<-ctx.Done()
			if Interrupted(ctx) {
				t.Error("a timeout reads as an interruption")
			}
			return ctx.Err()
		}})
	h.settle(1)
	h.advanceTo(sh(2026, 3, 1, 2, 0))
	block(t, started, "start")
	h.clock.BlockUntilContext(context.Background(), 2) // loop + timeout
	h.clock.Advance(10 * time.Minute)
	h.settle(1)
	recs := h.rec.records()
	if len(recs) != 1 || recs[0].Status != innowatch.RunFailed || !strings.HasPrefix(recs[0].Error, "job timed out: context deadline exceeded after 10m0s") {
		t.Errorf("records %+v, want a failed run that timed out", recs)
	}
}

func TestShutdownWaitsForTheRunningJob(t *testing.T) {
	h := newHarness(t, sh(2026, 3, 1, 1, 0), nil)
	started := make(chan struct{}, 1)
	release := make(chan struct{})
	var sawCancel bool
	h.start(Job{Name: "build", Kind: "build", Schedule: "0 2 * * *", Func: func(ctx context.Context, r *Run) error {
		started <- struct{}{}
		<-release
		sawCancel = ctx.Err() != nil
		r.Recorded(7)
		return nil
	}})
	h.settle(1)
	h.advanceTo(sh(2026, 3, 1, 2, 0))
	block(t, started, "start")
	h.stopAndWaitForGrace()
	h.clock.Advance(59 * time.Second)
	select {
	case <-h.done:
		t.Fatalf("Run returned (%v) while the job was still running", h.err)
	default:
	}
	close(release)
	if err := h.wait(); err != nil {
		t.Fatal(err)
	}
	if sawCancel {
		t.Error("the job's context was cancelled within the grace period")
	}
	if recs := h.rec.records(); len(recs) != 0 {
		t.Errorf("records %+v; the job recorded its own success", recs)
	}
}

func TestShutdownInterruptsAfterGraceAndRecordsAbort(t *testing.T) {
	h := newHarness(t, sh(2026, 3, 1, 1, 0), nil)
	started := make(chan struct{}, 1)
	var interrupted bool
	h.start(Job{Name: "build", Kind: "build", Schedule: "0 2 * * *", Retries: 3, Func: func(ctx context.Context, r *Run) error {
		started <- struct{}{}
		<-ctx.Done()
		interrupted = Interrupted(ctx)
		return ctx.Err()
	}})
	h.settle(1)
	h.advanceTo(sh(2026, 3, 1, 2, 0))
	block(t, started, "start")
	h.stopAndWaitForGrace()
	h.clock.Advance(time.Minute) // the grace period
	if err := h.wait(); err != nil {
		t.Fatal(err)
	}
	if !interrupted {
		t.Error("the job's context did not say it was interrupted")
	}
	want := []Record{{Job: "build", Kind: "build", Trigger: TriggerCron, Status: innowatch.RunAborted,
		ScheduledAt: sh(2026, 3, 1, 2, 0), Attempt: 1, Error: "context canceled"}}
	if diff := cmp.Diff(want, h.rec.records(), cmpTime, cmpopts.IgnoreFields(Record{}, "StartedAt", "FinishedAt")); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if a := h.alerts.all(); len(a) != 0 {
		t.Errorf("alerts %+v for a deliberate stop", a)
	}
}

func TestRunOnceIsManual(t *testing.T) {
	h := newHarness(t, sh(2026, 3, 1, 1, 0), nil)
	var got Run
	s, err := New([]Job{{Name: "nightly", Kind: "build", Schedule: "30 2 * * *", Func: func(ctx context.Context, r *Run) error {
		got = *r
		return nil
	}}}, Options{Clock: h.clock, Location: shanghai, Recorder: h.rec, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RunOnce(context.Background(), "nightly"); err != nil {
		t.Fatal(err)
	}
	if got.Trigger != TriggerManual || !got.ScheduledAt.Equal(sh(2026, 3, 1, 1, 0)) || got.Attempt != 1 {
		t.Errorf("run %+v, want a manual first attempt at the current time", got)
	}
	if err := s.RunOnce(context.Background(), "nope"); !errors.Is(err, ErrUnknownJob) {
		t.Errorf("unknown job: %v", err)
	}
}

// TestEveryJobRecordsItsSlot reproduces issue 15 item 5: an @every job ran
// with no schedule slot (the zero time), because an @every schedule has no
// "last activation" to look up. Its runs record the time they were due.
func TestEveryJobRecordsItsSlot(t *testing.T) {
	h := newHarness(t, sh(2026, 3, 1, 10, 0), nil)
	started := make(chan time.Time, 5)
	h.start(Job{Name: "inbox", Kind: "inbox", Schedule: "@every 10m", Func: func(ctx context.Context, r *Run) error {
		started <- r.ScheduledAt
		return nil
	}})
	h.settle(1)
	h.advanceTo(sh(2026, 3, 1, 10, 10))
	if got, want := block(t, started, "first run"), sh(2026, 3, 1, 10, 10); !got.Equal(want) {
		t.Errorf("slot of the @every run = %v, want %v", got, want)
	}
}

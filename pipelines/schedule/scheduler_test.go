package schedule

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jonboulle/clockwork"
)

var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func sh(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, shanghai)
}

// memRecorder is the run history in memory.
type memRecorder struct {
	mu        sync.Mutex
	recs      []Record
	succeeded map[string]bool
	checks    int
}

func key(job string, slot time.Time) string { return job + "@" + slot.UTC().Format(time.RFC3339) }

func (m *memRecorder) Record(_ context.Context, recs []Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = append(m.recs, recs...)
	return nil
}

func (m *memRecorder) Succeeded(_ context.Context, job string, slot time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.checks++
	return m.succeeded[key(job, slot)], nil
}

// markSucceeded is what the writer does for a job that succeeded.
func (m *memRecorder) markSucceeded(job string, slot time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.succeeded == nil {
		m.succeeded = map[string]bool{}
	}
	m.succeeded[key(job, slot)] = true
}

func (m *memRecorder) records() []Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Record(nil), m.recs...)
}

type memAlerter struct {
	mu     sync.Mutex
	alerts []Alert
}

func (m *memAlerter) Alert(a Alert) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.alerts = append(m.alerts, a)
}

func (m *memAlerter) all() []Alert {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Alert(nil), m.alerts...)
}

// harness runs a Scheduler on a fake clock.
type harness struct {
	t      *testing.T
	clock  *clockwork.FakeClock
	rec    *memRecorder
	alerts *memAlerter
	s      *Scheduler
	cancel context.CancelFunc
	done   chan struct{} // closed when Run returned
	err    error         // what Run returned
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newHarness(t *testing.T, start time.Time, rec *memRecorder) *harness {
	if rec == nil {
		rec = &memRecorder{}
	}
	return &harness{t: t, clock: clockwork.NewFakeClockAt(start), rec: rec, alerts: &memAlerter{}}
}

// start runs a scheduler of jobs until the test ends.
func (h *harness) start(jobs ...Job) {
	h.t.Helper()
	s, err := New(jobs, Options{Clock: h.clock, Location: shanghai, Recorder: h.rec, Alerter: h.alerts,
		Logger: quietLogger(), StopGrace: time.Minute, AbortWait: time.Minute})
	if err != nil {
		h.t.Fatal(err)
	}
	h.s = s
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan struct{})
	go func() { h.err = h.s.Run(ctx); close(h.done) }()
	h.t.Cleanup(func() {
		cancel()
		h.clock.Advance(time.Hour) // past any grace period
		<-h.done
	})
}

// settle waits (without advancing the clock) until the scheduler has nothing
// queued or running and waits on at least n timers.
func (h *harness) settle(n int) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := h.clock.BlockUntilContext(ctx, n)
		cancel()
		if err != nil {
			h.t.Fatalf("scheduler never waited on %d timer(s)", n)
		}
		if h.s.idle() {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatal("scheduler never became idle")
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// stopAndWaitForGrace cancels Run and waits until the grace timer runs.
func (h *harness) stopAndWaitForGrace() {
	h.t.Helper()
	h.cancel()
	deadline := time.Now().Add(10 * time.Second)
	for !h.s.stopping() {
		if time.Now().After(deadline) {
			h.t.Fatal("the scheduler never started stopping")
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// wait waits for Run to return.
func (h *harness) wait() error {
	h.t.Helper()
	block(h.t, h.done, "the scheduler to stop")
	return h.err
}

// advanceTo moves the fake clock to at.
func (h *harness) advanceTo(at time.Time) { h.clock.Advance(at.Sub(h.clock.Now())) }

// block waits for one value from ch (real time bounded; a hang is a bug).
func block[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}

type fired struct {
	job  string
	slot time.Time
	at   time.Time
	trig Trigger
}

func recordingJob(name, spec string, clock clockwork.Clock, ch chan<- fired) Job {
	return Job{Name: name, Kind: "build", Schedule: spec, Func: func(ctx context.Context, r *Run) error {
		ch <- fired{job: r.Job, slot: r.ScheduledAt, at: clock.Now(), trig: r.Trigger}
		return nil
	}}
}

func TestSchedulesFireAtShanghaiTimes(t *testing.T) {
	// The server's own zone must not matter.
	oldLocal := time.Local
	time.Local = mustLoad("America/New_York")
	t.Cleanup(func() { time.Local = oldLocal }) // after the scheduler's own cleanup

	ch := make(chan fired, 10)
	h := newHarness(t, sh(2026, 2, 3, 12, 0).UTC(), nil)
	h.start(recordingJob("bulletin", "0 9 5 * *", h.clock, ch), recordingJob("nightly", "30 2 * * *", h.clock, ch))

	want := []fired{
		{"nightly", sh(2026, 2, 4, 2, 30), sh(2026, 2, 4, 2, 30), TriggerCron},
		{"nightly", sh(2026, 2, 5, 2, 30), sh(2026, 2, 5, 2, 30), TriggerCron},
		{"bulletin", sh(2026, 2, 5, 9, 0), sh(2026, 2, 5, 9, 0), TriggerCron},
		{"nightly", sh(2026, 2, 6, 2, 30), sh(2026, 2, 6, 2, 30), TriggerCron},
		{"nightly", sh(2026, 3, 5, 2, 30), sh(2026, 3, 5, 2, 30), TriggerCron},
		{"bulletin", sh(2026, 3, 5, 9, 0), sh(2026, 3, 5, 9, 0), TriggerCron},
	}
	var got []fired
	for i, w := range want {
		if i == 4 {
			// Skip ahead a month, firing the nightly job on the way.
			for d := sh(2026, 2, 7, 2, 30); d.Before(sh(2026, 3, 5, 0, 0)); d = d.AddDate(0, 0, 1) {
				h.settle(1)
				h.advanceTo(d)
				block(t, ch, "nightly on "+d.String())
			}
		}
		// One second before: nothing fires.
		h.settle(1)
		h.advanceTo(w.at.Add(-time.Second))
		h.settle(1)
		select {
		case f := <-ch:
			t.Fatalf("%s fired at %s, one second before %s", f.job, f.at, w.at)
		default:
		}
		h.advanceTo(w.at)
		f := block(t, ch, w.job+" at "+w.at.String())
		got = append(got, f)
	}
	cmpTimes := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(fired{}), cmpTimes); diff != "" {
		t.Errorf("firings (-want +got):\n%s", diff)
	}
	for _, f := range got {
		if f.slot.Location() != shanghai {
			t.Errorf("slot %s is in %v, want Asia/Shanghai", f.slot, f.slot.Location())
		}
	}
}

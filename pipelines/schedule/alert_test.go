package schedule

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jonboulle/clockwork"
)

func TestWebhookRetriesWithBackoff(t *testing.T) {
	tests := []struct {
		name      string
		failFirst int // requests answered 503 before a 204
		wantCalls int
	}{
		{"succeeds on the third attempt", 2, 3},
		{"gives up after the retries", 10, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var bodies []Alert
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				calls++
				if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
					t.Errorf("%s with %q", r.Method, r.Header.Get("Content-Type"))
				}
				b, _ := io.ReadAll(r.Body)
				var a Alert
				if err := json.Unmarshal(b, &a); err != nil {
					t.Errorf("body %s: %v", b, err)
				}
				bodies = append(bodies, a)
				if calls <= tt.failFirst {
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				w.WriteHeader(http.StatusNoContent)
			}))
			defer srv.Close()
			clock := clockwork.NewFakeClockAt(sh(2026, 3, 5, 9, 0))
			n := &Notifier{URL: srv.URL, Retries: 3, Backoff: 5 * time.Second, Clock: clock, Logger: quietLogger()}
			slot := sh(2026, 3, 5, 9, 0)
			sent := Alert{Kind: AlertFailure, Job: "bulletin", Trigger: TriggerCron, ScheduledAt: &slot, Attempts: 4,
				Error: "render bulletin: disk full", Message: "job bulletin failed after 4 attempt(s)", At: slot.Add(time.Hour)}
			n.Alert(sent)
			waitCalls := func(n int) {
				t.Helper()
				deadline := time.Now().Add(10 * time.Second)
				for {
					mu.Lock()
					c := calls
					mu.Unlock()
					if c >= n {
						return
					}
					if time.Now().After(deadline) {
						t.Fatalf("%d requests, still waiting for request %d", c, n)
					}
					time.Sleep(time.Millisecond)
				}
			}
			var waited time.Duration
			waitCalls(1)
			for i, wait := range []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second}[:tt.wantCalls-1] {
				bctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				if err := clock.BlockUntilContext(bctx, 1); err != nil {
					t.Fatalf("no backoff after request %d", i+1)
				}
				cancel()
				clock.Advance(wait - time.Millisecond)
				time.Sleep(10 * time.Millisecond) // a retry before its time would show here
				mu.Lock()
				early := calls > i+1
				mu.Unlock()
				if early {
					t.Fatalf("request %d sent before its backoff of %s", i+2, wait)
				}
				clock.Advance(time.Millisecond)
				waited += wait
				waitCalls(i + 2)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := n.Close(ctx); err != nil {
				t.Fatal(err)
			}
			if calls != tt.wantCalls {
				t.Errorf("%d requests, want %d", calls, tt.wantCalls)
			}
			if wantWait := []time.Duration{0, 5 * time.Second, 15 * time.Second, 35 * time.Second}[tt.wantCalls-1]; waited != wantWait {
				t.Errorf("waited %s in backoff, want %s", waited, wantWait)
			}
			for _, got := range bodies {
				if diff := cmp.Diff(sent, got, cmpTime); diff != "" {
					t.Errorf("posted alert (-want +got):\n%s", diff)
				}
			}
		})
	}
}
